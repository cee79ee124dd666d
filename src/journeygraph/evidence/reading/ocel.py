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
import sqlite3
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from journeygraph.evidence.reading.limits import LogLimits
from journeygraph.evidence.reading.xes_events import XesLog, source_line
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
        parsed, form = _sqlite(file, limits), "sqlite"
    elif name.endswith(("xmlocel", ".xml")):
        parsed, form = _xml(file, limits), "xml"
    else:
        parsed, form = _json(file, limits), "json"
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
    dropped: XesLog = field(default_factory=XesLog)
    """Events left out, with why and where."""

    def add(self, event: _Event, file: Path, limits: LogLimits) -> None:
        """Add an event, within the limit of rows."""
        if len(self.events) >= limits.rows:
            raise LogError(
                [
                    Problem(
                        f"{file}: more than {limits.describe('rows')} events; read a part of "
                        f"the log, or {limits.hint('rows')}"
                    )
                ]
            )
        self.events.append(event)


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


_NO_OBJECT = "an event that is not a JSON object"
_NO_LIST = "an event whose relationships are not a list"
_BAD_RELATION = "an event with a relationship that is not an object with an objectId"
_DEEPEST = 200
"""Nesting deeper than this is no OCEL log's (reported where it starts)."""


def _json(file: Path, limits: LogLimits) -> _Parsed:
    try:
        text = file.read_text(encoding="utf-8")
        # Numbers stay text: a time written as 5,000 digits is a bad time, not an error.
        data = json.loads(text, parse_int=str, parse_float=str)
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
    except RecursionError:
        line, column = _too_deep(text)
        raise LogError(
            [
                Problem(
                    f"JSON nested more than {_DEEPEST} levels deep, from here; no OCEL log "
                    "is: remove the nesting",
                    Location(str(file), line, column),
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
            parsed.attributes[ident] = _json_attributes(obj)
    bad: dict[int, str] = {}
    for place, event in enumerate(data["events"]):
        why = _json_problem(event)
        if why is not None:
            bad[place] = why
            continue
        relations = event.get("relationships") or []
        parsed.add(
            _Event(
                str(event.get("id")),
                _text(event.get("type")),
                _text(event.get("time")),
                _json_attributes(event),
                [str(r["objectId"]) for r in relations],
            ),
            file,
            limits,
        )
    if bad:
        lines = _event_lines(text, set(bad))
        for place, why in bad.items():
            parsed.dropped.drop(why, lines.get(place, 0), f" (events[{place}])")
    return parsed


def _json_problem(event: Any) -> str | None:
    """Why a JSON event cannot be read, or None."""
    if not isinstance(event, dict):
        return _NO_OBJECT
    relations = event.get("relationships")
    if relations is None:
        return None
    if not isinstance(relations, list):
        return _NO_LIST
    if not all(isinstance(r, dict) and r.get("objectId") is not None for r in relations):
        return _BAD_RELATION
    return None


def _json_attributes(item: dict[str, Any]) -> dict[str, str]:
    given = item.get("attributes")
    return {
        str(a.get("name")): str(_text(a.get("value")))
        for a in (given if isinstance(given, list) else [])
        if isinstance(a, dict)
    }


_SPACE = re.compile(r"[ \t\n\r]*")


def _event_lines(text: str, wanted: set[int]) -> dict[int, int]:
    """The line where each ``wanted`` event (by its place in ``events``) starts, found by
    walking the top-level object value by value (a log that parsed whole)."""
    decoder = json.JSONDecoder(parse_int=str, parse_float=str)
    found: dict[int, int] = {}
    lines, counted = 1, 0

    def line_at(position: int) -> int:
        nonlocal lines, counted
        lines += text.count("\n", counted, position)
        counted = position
        return lines

    def skip(position: int, mark: str = "") -> int:
        position = _SPACE.match(text, position).end()  # type: ignore[union-attr]
        if mark and text.startswith(mark, position):
            position = _SPACE.match(text, position + 1).end()  # type: ignore[union-attr]
        return position

    at = skip(0, "{")
    while at < len(text) and text[at] == '"':
        key, at = decoder.raw_decode(text, at)
        at = skip(at, ":")
        if key == "events" and text.startswith("[", at):
            at = skip(at, "[")
            place = 0
            while at < len(text) and text[at] != "]":
                if place in wanted:
                    found[place] = line_at(at)
                _, at = decoder.raw_decode(text, at)
                at = skip(at, ",")
                place += 1
            return found
        _, at = decoder.raw_decode(text, at)
        at = skip(at, ",")
    return found


def _too_deep(text: str) -> tuple[int, int]:
    """The line and column where JSON first nests deeper than `_DEEPEST`."""
    depth, line, start, quoted, escaped = 0, 1, 0, False, False
    for k, char in enumerate(text):
        if quoted:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                quoted = False
        elif char == '"':
            quoted = True
        elif char in "[{":
            depth += 1
            if depth > _DEEPEST:
                return line, k - start + 1
        elif char in "]}":
            depth -= 1
        if char == "\n":
            line, start = line + 1, k + 1
    return 0, 0


def _xml(file: Path, limits: LogLimits) -> _Parsed:
    from lxml import etree  # loaded only for XML logs

    from journeygraph.evidence.reading.guard import open_bytes

    parsed = _Parsed()
    try:
        with open_bytes(file, limits, markup=True) as handle:
            for _, element in etree.iterparse(
                handle,
                events=("end",),
                tag=("{*}object", "{*}event"),
                resolve_entities=False,
                huge_tree=True,
            ):
                _xml_element(file, parsed, element, etree.QName(element).localname, limits)
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
    if not parsed.events and not parsed.kinds and not parsed.dropped.dropped:
        raise LogError([Problem(f"{file}: not an OCEL 2.0 XML log (no objects, no events)")])
    return parsed


def _xml_element(file: Path, parsed: _Parsed, element: Any, local: str, limits: LogLimits) -> None:
    """Note one ``<object>`` or ``<event>``; one that cannot be used is left out at its line."""
    ident = element.get("id")
    line = source_line(element)
    if ident is None:
        parsed.dropped.drop(f"an <{local}> with no id", line)
        return
    attributes = {
        str(a.get("name")): (a.text or "").strip()
        for a in element.iterfind("{*}attributes/{*}attribute")
    }
    related = [r.get("object-id") for r in element.iterfind("{*}objects/{*}relationship")]
    if local == "object":
        parsed.kinds[ident] = str(element.get("type"))
        parsed.attributes[ident] = attributes
    elif None in related:
        parsed.dropped.drop("an <event> with a relationship that has no object-id", line)
    else:
        parsed.add(
            _Event(ident, element.get("type"), element.get("time"), attributes, related, line),
            file,
            limits,
        )


def _sqlite(file: Path, limits: LogLimits) -> _Parsed:
    if not file.is_file():
        raise LogError([Problem(f"{file}: no such file; check the path")])
    try:
        # Read-only: the user's log is never written.
        con = sqlite3.connect(file.resolve().as_uri() + "?mode=ro", uri=True)
        try:
            # No value longer than the limit is ever made, stored or computed.
            con.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, min(limits.text, 2**31 - 1))
            return _sqlite_tables(file, con, limits)
        finally:
            con.close()
    except sqlite3.DatabaseError as err:
        raise LogError(
            [Problem(f"{file}: cannot be read as an OCEL 2.0 SQLite log ({err})")]
        ) from None


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _select(
    con: sqlite3.Connection, file: Path, table: str, columns: str, limits: LogLimits, tail: str = ""
) -> Iterator[tuple[Any, ...]]:
    """The rows of ``columns`` of ``table``, within the limits: more rows than
    `LogLimits.rows`, or a value longer than `LogLimits.text`, is an error that says
    which table, row and column. A generated column (computed as it is read, at any
    cost, and NULL when it passes the limit) is refused, named."""
    for _, name, *_, hidden in con.execute(f"PRAGMA table_xinfo({_quoted(table)})"):
        if hidden in (2, 3):
            raise LogError(
                [
                    Problem(
                        f"{file}: table {table!r}, column {name!r} is computed as it is read "
                        "(a generated column); an OCEL log stores its values: store them "
                        "(e.g. CREATE TABLE ... AS SELECT) and read the copy"
                    )
                ]
            )
    found = con.execute(f"SELECT count(*) FROM {_quoted(table)}").fetchone()
    if found is not None and int(found[0]) > limits.rows:
        raise LogError(
            [
                Problem(
                    f"{file}: table {table!r} has {int(found[0]):,} rows, more than "
                    f"{limits.describe('rows')}; {limits.hint('rows')}"
                )
            ]
        )
    try:
        yield from con.execute(f"SELECT {columns} FROM {_quoted(table)} {tail}")
    except sqlite3.DataError as err:
        raise _too_big(con, file, table, limits) or LogError(
            [Problem(f"{file}: table {table!r} cannot be read ({err})")]
        ) from None


def _too_big(con: sqlite3.Connection, file: Path, table: str, limits: LogLimits) -> LogError | None:
    """The error naming the first value of ``table`` longer than the limit, if found."""
    names = [r[1] for r in con.execute(f"PRAGMA table_xinfo({_quoted(table)})")]
    for name in names:
        last = None
        try:
            for rowid, _ in con.execute(
                f"SELECT rowid, {_quoted(name)} FROM {_quoted(table)} ORDER BY rowid"
            ):
                last = rowid
        except sqlite3.DataError:
            # The cursor reads a row ahead: the value is in one of the next rows.
            rows = con.execute(
                f"SELECT rowid FROM {_quoted(table)} WHERE ? IS NULL OR rowid > ? ORDER BY rowid",
                [last, last],
            )
            for (rowid,) in rows:
                try:
                    con.execute(
                        f"SELECT {_quoted(name)} FROM {_quoted(table)} WHERE rowid = ?", [rowid]
                    ).fetchone()
                except sqlite3.DataError:
                    return _value_too_long(file, table, f"row {rowid}", name, limits)
            return _value_too_long(file, table, "a row", name, limits)
        except sqlite3.DatabaseError:
            return None
    return None


def _value_too_long(file: Path, table: str, at: str, name: str, limits: LogLimits) -> LogError:
    return LogError(
        [
            Problem(
                f"{file}: table {table!r}, {at}, column {name!r}: a value longer than "
                f"{limits.describe('text')}, as no log's is; remove it, or "
                f"{limits.hint('text')}"
            )
        ]
    )


def _sqlite_tables(file: Path, con: sqlite3.Connection, limits: LogLimits) -> _Parsed:
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    needed = {"event", "object", "event_object", "event_map_type"}
    if not needed <= tables:
        missing = ", ".join(sorted(needed - tables))
        raise LogError([Problem(f"{file}: not an OCEL 2.0 SQLite log (no table {missing})")])
    parsed = _Parsed()
    _sqlite_objects(file, con, limits, parsed, tables)
    related = _sqlite_relations(file, con, limits, parsed)
    types = dict(_select(con, file, "event_map_type", "ocel_type, ocel_type_map", limits))
    found: dict[str, tuple[str | None, dict[str, str]]] = {}
    for mapped in types.values():
        table = f"event_{mapped}"
        if table in tables:
            for ident, values in _attribute_rows(con, file, table, limits, keep_time=True).items():
                found[ident] = (values.pop("ocel_time", None), values)
    rows = _select(con, file, "event", "ocel_id, ocel_type", limits, "ORDER BY rowid")
    for position, (ident, kind) in enumerate(rows, start=1):
        if ident is None:
            parsed.dropped.drop(
                "an event row with no ocel_id", position, " (its row of table event)"
            )
            continue
        time, attributes = found.get(str(ident), (None, {}))
        parsed.add(
            _Event(str(ident), kind, time, attributes, related.get(str(ident), []), position),
            file,
            limits,
        )
    return parsed


def _attribute_rows(
    con: sqlite3.Connection, file: Path, table: str, limits: LogLimits, *, keep_time: bool = False
) -> dict[str, dict[str, str]]:
    """Each row's attributes by its ``ocel_id`` (an object's last values win)."""
    names = [r[1] for r in con.execute(f"PRAGMA table_xinfo({_quoted(table)})")]
    if "ocel_id" not in names:
        raise LogError(
            [
                Problem(
                    f"{file}: table {table!r} has no column ocel_id, which every table of an "
                    "OCEL 2.0 type's attributes has; it is named by event_map_type or "
                    "object_map_type: fix the table or that row"
                )
            ]
        )
    out: dict[str, dict[str, str]] = {}
    for row in _select(con, file, table, ", ".join(map(_quoted, names)), limits):
        values = dict(zip(names, row, strict=True))
        ident = values.pop("ocel_id")
        if ident is None:
            continue  # attributes of nothing: no event or object is left out
        kept = {
            k: str(_text(v))
            for k, v in values.items()
            if v is not None and ((k == "ocel_time" and keep_time) or not k.startswith("ocel_"))
        }
        out.setdefault(str(ident), {}).update(kept)
    return out


def _sqlite_objects(
    file: Path, con: sqlite3.Connection, limits: LogLimits, parsed: _Parsed, tables: set[str]
) -> None:
    """The objects' types and attributes."""
    for ident, kind in _select(con, file, "object", "ocel_id, ocel_type", limits):
        if ident is not None:
            parsed.kinds[str(ident)] = str(kind)
    if "object_map_type" in tables:
        mapped_types = _select(con, file, "object_map_type", "DISTINCT ocel_type_map", limits)
        for (mapped,) in list(mapped_types):
            if f"object_{mapped}" in tables:
                parsed.attributes.update(_attribute_rows(con, file, f"object_{mapped}", limits))


def _sqlite_relations(
    file: Path, con: sqlite3.Connection, limits: LogLimits, parsed: _Parsed
) -> dict[str, list[str]]:
    """The objects each event relates to; a row naming no event or object is left out."""
    related: dict[str, list[str]] = {}
    pairs = _select(con, file, "event_object", "rowid, ocel_event_id, ocel_object_id", limits)
    for row, event, obj in pairs:
        if event is None or obj is None:
            parsed.dropped.drop(
                "an event_object row with no ocel_event_id or ocel_object_id",
                int(row),
                " (its row in table event_object)",
            )
            continue
        related.setdefault(str(event), []).append(str(obj))
    return related
