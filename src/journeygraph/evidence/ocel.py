"""Reading OCEL 2.0 object-centric event logs: JSON, XML and SQLite.

In OCEL an event is related to several objects (an order, its items, the
customer...), not to one case. ``object_type`` says which type plays the
customer: each object of that type becomes a case, and an event related to
several objects of the type counts once for each of them. The event's type is
the touchpoint, its ``time`` the time, and the performer the event attribute
``org:resource`` (else ``resource``, else ``org:group``), or the attribute
``--performer`` names.

The events become rows of `journeygraph.evidence.xes.COLUMNS`, as an XES log's
do, and are read into DuckDB the same way: what follows is shared.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from journeygraph.evidence.xes import XesLog, source_line
from journeygraph.exceptions import Location, LogError, Problem, did_you_mean

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
) -> OcelLog:
    """Read an OCEL 2.0 log (JSON, XML or SQLite), the objects of ``object_type`` as cases.

    Raises
    ------
    LogError
        When the file is not an OCEL 2.0 log it can read (with the line and
        column of bad JSON or XML), or the object type is missing or unknown
        (naming the types there are).

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
    name = file.name.lower()
    if name.endswith("sqlite"):
        parsed, form = _sqlite(file), "sqlite"
    elif name.endswith(("xmlocel", ".xml")):
        parsed, form = _xml(file), "xml"
    else:
        parsed, form = _json(file), "json"
    log = OcelLog(form=form)
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


@dataclass
class _Event:
    id: str
    type: str | None
    time: str | None
    attributes: dict[str, str]
    objects: list[str]
    line: int = 0


@dataclass
class _Parsed:
    """What a reader found: objects' types and attributes, and the events."""

    kinds: dict[str, str] = field(default_factory=dict)
    attributes: dict[str, dict[str, str]] = field(default_factory=dict)
    events: list[_Event] = field(default_factory=list)


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


def _text(value: Any) -> str | None:
    """An attribute's value as text (OCEL values are strings, numbers or booleans)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _json(file: Path) -> _Parsed:
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise LogError(
            [
                Problem(
                    f"not well-formed JSON ({err.msg}); an OCEL 2.0 JSON log is an object with "
                    "objectTypes, eventTypes, objects and events",
                    Location(str(file), err.lineno, err.colno),
                )
            ]
        ) from None
    except (OSError, UnicodeDecodeError) as err:
        raise LogError([Problem(f"{file}: cannot be read ({err})")]) from None
    if not isinstance(data, dict) or not isinstance(data.get("events"), list):
        raise LogError(
            [
                Problem(
                    f"{file}: not an OCEL 2.0 log (no list of events); OCEL 1.0 logs "
                    "(ocel:events) are not read: convert them to OCEL 2.0"
                )
            ]
        )
    parsed = _Parsed()
    for obj in data.get("objects") or []:
        if isinstance(obj, dict) and obj.get("id") is not None:
            ident = str(obj["id"])
            parsed.kinds[ident] = str(obj.get("type"))
            parsed.attributes[ident] = {
                str(a.get("name")): str(_text(a.get("value")))
                for a in obj.get("attributes") or []
                if isinstance(a, dict)
            }
    for event in data["events"]:
        if not isinstance(event, dict):
            continue
        parsed.events.append(
            _Event(
                str(event.get("id")),
                _text(event.get("type")),
                _text(event.get("time")),
                {
                    str(a.get("name")): str(_text(a.get("value")))
                    for a in event.get("attributes") or []
                    if isinstance(a, dict)
                },
                [
                    str(r.get("objectId"))
                    for r in event.get("relationships") or []
                    if isinstance(r, dict)
                ],
            )
        )
    return parsed


def _xml(file: Path) -> _Parsed:
    from lxml import etree  # loaded only for XML logs

    parsed = _Parsed()
    try:
        for _, element in etree.iterparse(
            str(file), events=("end",), tag=("{*}object", "{*}event"), resolve_entities=False
        ):
            local = etree.QName(element).localname
            ident = element.get("id")
            if ident is None:
                continue  # a type declaration, not an object or an event
            attributes = {
                str(a.get("name")): (a.text or "").strip()
                for a in element.iterfind("{*}attributes/{*}attribute")
            }
            related = [
                str(r.get("object-id")) for r in element.iterfind("{*}objects/{*}relationship")
            ]
            if local == "object":
                parsed.kinds[ident] = str(element.get("type"))
                parsed.attributes[ident] = attributes
            else:
                parsed.events.append(
                    _Event(
                        ident,
                        element.get("type"),
                        element.get("time"),
                        attributes,
                        related,
                        source_line(element),
                    )
                )
            element.clear(keep_tail=False)
    except etree.XMLSyntaxError as err:
        at_line, column = err.position if err.position else (0, 0)
        raise LogError(
            [
                Problem(
                    f"not well-formed XML ({err.msg}); an OCEL 2.0 XML log has a <log> root "
                    "with <objects> and <events>",
                    Location(str(file), at_line, column + 1),
                )
            ]
        ) from None
    except OSError as err:
        raise LogError([Problem(f"{file}: cannot be read ({err})")]) from None
    if not parsed.events and not parsed.kinds:
        raise LogError([Problem(f"{file}: not an OCEL 2.0 XML log (no objects, no events)")])
    return parsed


def _sqlite(file: Path) -> _Parsed:
    if not file.is_file():
        raise LogError([Problem(f"{file}: no such file; check the path")])
    try:
        # Read-only: the user's log is never written.
        con = sqlite3.connect(file.resolve().as_uri() + "?mode=ro", uri=True)
        try:
            return _sqlite_tables(file, con)
        finally:
            con.close()
    except sqlite3.DatabaseError as err:
        raise LogError(
            [Problem(f"{file}: cannot be read as an OCEL 2.0 SQLite log ({err})")]
        ) from None


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sqlite_tables(file: Path, con: sqlite3.Connection) -> _Parsed:
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    needed = {"event", "object", "event_object", "event_map_type"}
    if not needed <= tables:
        missing = ", ".join(sorted(needed - tables))
        raise LogError([Problem(f"{file}: not an OCEL 2.0 SQLite log (no table {missing})")])
    parsed = _Parsed()
    parsed.kinds = {str(i): str(t) for i, t in con.execute("SELECT ocel_id, ocel_type FROM object")}
    if "object_map_type" in tables:
        for (mapped,) in con.execute("SELECT DISTINCT ocel_type_map FROM object_map_type"):
            if f"object_{mapped}" in tables:
                parsed.attributes.update(_attribute_rows(con, f"object_{mapped}"))
    related: dict[str, list[str]] = {}
    for event, obj in con.execute("SELECT ocel_event_id, ocel_object_id FROM event_object"):
        related.setdefault(str(event), []).append(str(obj))
    types = dict(con.execute("SELECT ocel_type, ocel_type_map FROM event_map_type").fetchall())
    order = {str(i): (k, t) for k, (i, t) in enumerate(con.execute(
        "SELECT ocel_id, ocel_type FROM event ORDER BY rowid"))}  # fmt: skip
    found: dict[str, tuple[str | None, dict[str, str]]] = {}
    for mapped in types.values():
        table = f"event_{mapped}"
        if table in tables:
            for ident, values in _attribute_rows(con, table, keep_time=True).items():
                found[ident] = (values.pop("ocel_time", None), values)
    for ident, (position, kind) in sorted(order.items(), key=lambda item: item[1][0]):
        time, attributes = found.get(ident, (None, {}))
        parsed.events.append(
            _Event(ident, kind, time, attributes, related.get(ident, []), position + 1)
        )
    return parsed


def _attribute_rows(
    con: sqlite3.Connection, table: str, *, keep_time: bool = False
) -> dict[str, dict[str, str]]:
    """Each row's attributes by its ``ocel_id`` (an object's last values win)."""
    cursor = con.execute(f"SELECT * FROM {_quoted(table)}")
    names = [d[0] for d in cursor.description]
    out: dict[str, dict[str, str]] = {}
    for row in cursor:
        values = dict(zip(names, row, strict=True))
        ident = str(values.pop("ocel_id"))
        kept = {
            k: str(_text(v))
            for k, v in values.items()
            if v is not None and ((k == "ocel_time" and keep_time) or not k.startswith("ocel_"))
        }
        out.setdefault(ident, {}).update(kept)
    return out
