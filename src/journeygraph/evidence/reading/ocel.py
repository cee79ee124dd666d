"""Reading OCEL 2.0 object-centric event logs: JSON, XML and SQLite.

In OCEL an event is related to several objects (an order, its items, the
customer...), not to one case. ``object_type`` says which type plays the
customer: each object of that type becomes a case, and an event related to
several objects of the type counts once for each of them. The event's type is
the touchpoint, its ``time`` the time, and the performer the event attribute
``org:resource`` (else ``resource``, else ``org:group``), or the attribute
``--performer`` names.

The events become rows of `journeygraph.evidence.reading.xes_events.COLUMNS`, as an XES log's
do, and are read into DuckDB the same way: what follows is shared.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from journeygraph.evidence.reading.limits import LogLimits
from journeygraph.evidence.reading.ocel_formats import parse_json, parse_sqlite, parse_xml
from journeygraph.evidence.reading.xes_events import XesLog
from journeygraph.exceptions import LogError, Problem, did_you_mean

__all__ = ["OCEL_SUFFIXES", "OcelLog", "is_ocel", "read_ocel"]


OCEL_SUFFIXES = (".jsonocel", ".xmlocel", ".sqlite", ".ocel.json", ".ocel.xml", ".ocel.sqlite")
"""The file names read as OCEL 2.0 (``.json`` and ``.xml`` files are looked into)."""


PERFORMER_KEYS = ("org:resource", "resource", "org:group")
"""Event attributes naming the performer, first found first."""


@dataclass
class OcelLog(XesLog):
    """The events of an OCEL log as rows, one per event and object of the chosen type.

    ``where`` the rows come from is kept per row (the event's id, and its line
    in an XML file) to locate bad events.
    """

    event_ids: list[str] = field(default_factory=list)
    object_types: Counter[str] = field(default_factory=Counter)
    """Objects per type, to name the types when the one asked for is not there."""
    form: str = "json"

    def keep_only(self, kept: list[int]) -> None:
        """Keep only the rows at these places (in order), with their lines and events."""
        self.rows = [self.rows[k] for k in kept]
        self.lines = tuple(self.lines[k] for k in kept)
        self.event_ids = [self.event_ids[k] for k in kept]

    def lines_of(self, file: Path, wanted: set[int]) -> dict[int, int]:
        """The line where each row's event starts (XML and JSON; SQLite: its row)."""
        if self.form != "json":
            return super().lines_of(file, wanted)
        # JSON is parsed whole, without lines: find the few events asked for in the text.
        text = file.read_text(encoding="utf-8", errors="replace")
        found = {}
        for seq in wanted:
            if 0 < seq <= len(self.event_ids):
                quoted = re.escape(json.dumps(self.event_ids[seq - 1]))
                match = re.search(r'"id"\s*:\s*' + quoted, text)
                if match:
                    found[seq] = text.count("\n", 0, match.start()) + 1
        return found


def is_ocel(file: Path) -> bool:
    """Whether ``file`` is named, or (for ``.json`` and ``.xml``) shaped, like an OCEL log."""
    name = file.name.lower()
    if name.endswith(OCEL_SUFFIXES):
        return True
    if name.endswith((".json", ".xml")) and file.is_file():
        with file.open("rb") as handle:
            head = handle.read(4096)
        return (b'"objectTypes"' in head or b'"eventTypes"' in head) or (
            name.endswith(".xml") and (b"<object-types" in head or b"<event-types" in head)
        )
    return False


def read_ocel(
    path: str | Path,
    *,
    object_type: str | None,
    performer: str | None = None,
    stage: str | None = None,
    where: Sequence[tuple[str, str]] = (),
    limits: LogLimits | None = None,
) -> OcelLog:
    """Read an OCEL 2.0 log (JSON, XML or SQLite), the objects of ``object_type`` as cases.

    Events that cannot be used (one with no id in XML, one that is not an object
    or whose relationships are not a list in JSON, a row with no id in SQLite)
    are left out in `XesLog.dropped`, at their line (or row), never unsaid.

    Raises
    ------
    LogError
        When the file is not an OCEL 2.0 log it can read (with the line and
        column of bad JSON or XML), the object type is missing or unknown
        (naming the types there are), or it passes a limit of ``limits``
        (saying which table, row and column of an SQLite log).

    Examples
    --------
    >>> import json, pathlib, tempfile
    >>> file = pathlib.Path(tempfile.mkdtemp()) / "log.jsonocel"
    >>> _ = file.write_text(json.dumps({
    ...     "objectTypes": [{"name": "order", "attributes": []}], "eventTypes": [],
    ...     "objects": [{"id": "o1", "type": "order"}, {"id": "o2", "type": "order"}],
    ...     "events": [{"id": "e1", "type": "place", "time": "2024-05-01T10:00:00Z",
    ...                 "relationships": [{"objectId": "o1"}, {"objectId": "o2"}]}]}))
    >>> [row[:2] for row in read_ocel(file, object_type="order").rows]
    [('o1', 'place'), ('o2', 'place')]
    """
    file = Path(path)
    limits = limits or LogLimits()
    name = file.name.lower()
    if name.endswith("sqlite"):
        parsed, form = parse_sqlite(file, limits), "sqlite"
    elif name.endswith(("xmlocel", ".xml")):
        parsed, form = parse_xml(file, limits), "xml"
    else:
        parsed, form = parse_json(file, limits), "json"
    log = OcelLog(form=form)
    log.merge_dropped(parsed.dropped)
    kinds, attributes = parsed.kinds, parsed.attributes
    log.object_types = Counter(kinds.values())
    chosen = _choose(file, object_type, log.object_types)
    wanted = dict(where)
    if where:
        log.matching = set()
    keys: set[str] = set()
    met: dict[str, set[str]] = {}
    lines: list[int] = []
    for event in parsed.events:
        who = (
            event.attributes.get(performer)
            if performer is not None
            else next((event.attributes[k] for k in PERFORMER_KEYS if k in event.attributes), None)
        )
        cases = [o for o in dict.fromkeys(event.objects) if kinds.get(o) == chosen]
        keys.update(event.attributes)
        phase = event.attributes.get(stage) if stage is not None else None
        for case in cases:
            log.rows.append((case, event.type, event.time, who, None, None, phase))
            log.event_ids.append(event.id)
            lines.append(event.line)
            if where:
                hits = met.setdefault(case, set())
                hits.update(k for k, v in event.attributes.items() if wanted.get(k) == v)
    if where:
        for obj, values in attributes.items():
            if kinds.get(obj) == chosen:
                keys.update(values)
                met.setdefault(obj, set()).update(
                    k for k, v in values.items() if wanted.get(k) == v
                )
        log.matching = {case for case, hits in met.items() if hits >= wanted.keys()}
        log.keys = keys
    log.lines = tuple(lines)
    log.keys_seen = {k for e in parsed.events for k in e.attributes} if stage is not None else set()
    return log


def _choose(file: Path, object_type: str | None, types: Counter[str]) -> str:
    """The object type that plays the customer, or an error naming the types there are."""
    listed = ", ".join(f"{t!r} ({n:,} objects)" for t, n in types.most_common())
    if object_type is None:
        if len(types) == 1:
            return next(iter(types))
        raise LogError(
            [
                Problem(
                    f"{file}: an OCEL log relates events to objects of several types; say which "
                    f"plays the customer with --object-type (the types: {listed or 'none'})"
                )
            ]
        )
    if object_type not in types:
        raise LogError(
            [
                Problem(
                    f"{file}: no objects of type {object_type!r} (--object-type)"
                    + (did_you_mean(object_type, list(types)) or f"; the types: {listed or 'none'}")
                )
            ]
        )
    return object_type
