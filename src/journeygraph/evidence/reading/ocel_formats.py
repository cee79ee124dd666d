"""The three forms of an OCEL 2.0 log (JSON, XML, SQLite) parsed into one shape.

Each parser gives the events with their objects and attributes, every object's
type and attributes, and the events it had to leave out, at their line (or row);
`journeygraph.evidence.reading.ocel.read_ocel` turns them into a log's rows.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from journeygraph.evidence.reading.limits import LogLimits
from journeygraph.evidence.reading.xes_events import XesLog
from journeygraph.evidence.reading.xml_lines import LAST_EXACT, EventLines, Opener
from journeygraph.exceptions import Location, LogError, Problem
from journeygraph.extras import optional

__all__ = ["OcelEvent", "ParsedOcel", "parse_json", "parse_sqlite", "parse_xml"]


@dataclass
class OcelEvent:
    id: str
    type: str | None
    time: str | None
    attributes: dict[str, str]
    objects: list[str]
    line: int = 0


@dataclass
class ParsedOcel:
    """What a reader found: objects' types and attributes, and the events."""

    kinds: dict[str, str] = field(default_factory=dict)
    attributes: dict[str, dict[str, str]] = field(default_factory=dict)
    events: list[OcelEvent] = field(default_factory=list)
    dropped: XesLog = field(default_factory=XesLog)
    """Events left out, with why and where."""

    def add(self, event: OcelEvent, file: Path, limits: LogLimits) -> None:
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


def parse_json(file: Path, limits: LogLimits) -> ParsedOcel:
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
    parsed = ParsedOcel()
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
            OcelEvent(
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


def parse_xml(file: Path, limits: LogLimits) -> ParsedOcel:
    optional("lxml")  # not installed: which extra to install
    from lxml import etree  # loaded only for XML logs

    from journeygraph.evidence.reading.guard import open_bytes

    parsed = ParsedOcel()
    try:
        with open_bytes(file, limits, markup=True) as handle:
            for seen, (_, element) in enumerate(
                etree.iterparse(
                    handle,
                    events=("end",),
                    tag=("{*}object", "{*}event"),
                    resolve_entities=False,
                    huge_tree=True,
                ),
                1,
            ):
                # Past LAST_EXACT, lxml cannot tell the line: the element's place says it.
                line = element.sourceline or 0
                line = line if line <= LAST_EXACT else -seen
                local = etree.QName(element).localname
                _xml_element(file, parsed, element, local, line, limits)
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
    _find_lines(parsed, lambda: open_bytes(file, limits, markup=True))
    return parsed


def _find_lines(parsed: ParsedOcel, opener: Opener) -> None:
    """The lines lxml could not tell (past `LAST_EXACT`), found by each element's place."""
    dropped = parsed.dropped
    if all(e.line >= 0 for e in parsed.events) and all(at >= 0 for at, _, _ in dropped.dropped_at):
        return
    found = EventLines((), [(0, opener, 0)], frozenset({"object", "event"}))
    for event in parsed.events:
        event.line = found.resolve(0, event.line)
    dropped.dropped_at = [(found.resolve(0, at), c, why) for at, c, why in dropped.dropped_at]


def _xml_element(
    file: Path, parsed: ParsedOcel, element: Any, local: str, line: int, limits: LogLimits
) -> None:
    """Note one ``<object>`` or ``<event>``; one that cannot be used is left out at its line."""
    ident = element.get("id")
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
            OcelEvent(ident, element.get("type"), element.get("time"), attributes, related, line),
            file,
            limits,
        )


def parse_sqlite(file: Path, limits: LogLimits) -> ParsedOcel:
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


def _sqlite_tables(file: Path, con: sqlite3.Connection, limits: LogLimits) -> ParsedOcel:
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    needed = {"event", "object", "event_object", "event_map_type"}
    if not needed <= tables:
        missing = ", ".join(sorted(needed - tables))
        raise LogError([Problem(f"{file}: not an OCEL 2.0 SQLite log (no table {missing})")])
    parsed = ParsedOcel()
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
            OcelEvent(str(ident), kind, time, attributes, related.get(str(ident), []), position),
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
    file: Path, con: sqlite3.Connection, limits: LogLimits, parsed: ParsedOcel, tables: set[str]
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
    file: Path, con: sqlite3.Connection, limits: LogLimits, parsed: ParsedOcel
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
