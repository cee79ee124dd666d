"""Maps as spreadsheets: an ``.xlsx`` workbook, or a folder of CSV files.

One sheet per entity (see :data:`SHEETS`), one row per stage, touchpoint,
transition, role held or handoff. Reading builds the same data the YAML loader
does, so every problem is reported by the same checks, at ``sheet!cell``.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import json
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from journeygraph.exceptions import Location, MapError, OutputError, Problem, did_you_mean
from journeygraph.exceptions import column_letters as _letters
from journeygraph.extras import optional
from journeygraph.io.files import atomic_write, output_folder, reporting
from journeygraph.io.load import from_data
from journeygraph.io.source import KeyPath, SourceMap
from journeygraph.model import LAYERS, ROLES, STATUSES, JourneyMap
from journeygraph.tabular import (
    CellTooLongError,
    csv_text,
    from_csv_cell,
    from_xlsx_text,
    xlsx_cell,
)

__all__ = ["SHEETS", "read_csv_folder", "read_workbook", "write_csv_folder", "write_workbook"]

SHEETS: dict[str, tuple[str, ...]] = {
    "journey": ("key", "value"),
    "stages": ("id", "name", "description"),
    "departments": ("id", "name", "external", "description"),
    "functions": ("id", "name", "department", "fte", "description"),
    "touchpoints": (
        "id",
        "name",
        "stage",
        "channel",
        "layer",
        "entry",
        "exit",
        "volume",
        "handle_minutes",
        "description",
    ),
    "transitions": ("from", "to", "weight", "cycle", "reason"),
    "ownership": ("touchpoint", "function", "role"),
    "handoffs": ("from", "to", "name", "sla", "artefact", "system", "description"),
    "handoff_at": ("handoff_from", "handoff_to", "from", "to"),
    "metrics": ("stage", "touchpoint", "metric"),
    "personas": ("id", "name", "description"),
    "goals": ("persona", "goal"),
    "experience": ("touchpoint", "persona", "emotion"),
    "pain_points": ("touchpoint", "persona", "pain_point"),
    "quotes": ("touchpoint", "persona", "quote"),
    "opportunities": ("id", "name", "owner", "status", "priority", "description"),
    "opportunity_touchpoints": ("opportunity", "touchpoint"),
    "evidence": ("touchpoint", "evidence"),
    "log_names": ("touchpoint", "log_name"),
    "log_performers": ("function", "performer"),
    "audit": ("setting", "name", "value", "entities", "reason"),
}
"""Sheet names and their columns, in order. Row order is the order of the map."""

README_SHEET = "README"
README = [
    "journeygraph journey map workbook (format version 1).",
    "One sheet per entity; the first row of each sheet names its columns.",
    "journey: rows id, name, description of the journey.",
    "stages: in journey order. touchpoints: stage is a stage id; layer is customer, "
    "frontstage, backstage or support; entry and exit are TRUE or FALSE.",
    "transitions: where customers go from one touchpoint to the next (weight optional; "
    "cycle names a step back the business wants, such as retention, with an optional reason).",
    "ownership: one row per touchpoint, function and role (R, A, C or I).",
    "handoffs: agreed handoffs between two functions; sla is a time such as 4h, 2d or 1w.",
    "handoff_at: the transitions (from, to) a handoff covers, when not all of them.",
    "personas and goals: who the journey is drawn for. experience, pain_points, quotes: how "
    "a touchpoint feels (emotion -2 to 2), per persona, or for every customer (persona empty).",
    "opportunities: planned improvements; opportunity_touchpoints: the touchpoints each improves.",
    "metrics: a KPI of a stage or of a touchpoint (fill one of the two).",
    "evidence: physical evidence the customer sees or keeps at a touchpoint (an email, "
    "a contract, a parcel).",
    "log_names: the names event logs give a touchpoint's events; log_performers: the "
    "people or teams of event logs that belong to a function.",
    "audit: setting is threshold, disable, severity or waiver "
    '(waiver entities as a JSON list, e.g. ["demo", "proposal"]).',
    "Then: journeygraph import THIS-FILE -o map.yaml, and journeygraph audit map.yaml.",
]
_MAX_ROWS = 2000  # how far drop-down lists reach down each sheet
_AS_IS = frozenset({"entry", "exit", "external", "fte", "volume", "handle_minutes", "priority"})
"""Columns whose cells are kept as typed (numbers, TRUE/FALSE), not read as text."""


@dataclass
class _Sheet:
    name: str
    columns: list[str]
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    """(row number, values by column); column numbers via :attr:`columns`."""

    def col(self, column: str) -> int:
        return self.columns.index(column) + 1


# --- reading -----------------------------------------------------------------


LIMITS: Final = {"unpacked": 64 * 2**20, "rows": 100_000, "columns": 200, "cells": 1_000_000}
"""The most a workbook may hold: bytes unpacked, and per sheet the row and column of a value
and the values; a workbook is a map, and these bound the memory it takes to read."""

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an encrypted .xlsx, or an old .xls
_UNCALCULATED = object()  # a formula cell with no value saved


def read_workbook(path: str | Path) -> JourneyMap:
    """Read a map from an ``.xlsx`` workbook.

    Only cells with a value are read (never the sheet's claimed size), within
    :data:`LIMITS`.

    Raises
    ------
    MapError
        With every problem, each at its ``book.xlsx:sheet!cell``.
    MissingExtraError
        openpyxl is not installed (the ``xlsx`` extra).
    """
    optional("openpyxl")  # without it: which extra to install
    import openpyxl

    file = Path(path)
    _check_package(file)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns of extensions it skips
            book = openpyxl.load_workbook(file, read_only=True, data_only=True)
    except FileNotFoundError:
        raise MapError([Problem(f"{file}: no such file; check the path")]) from None
    except Exception as err:  # openpyxl raises many kinds for a file it cannot read
        raise MapError([Problem(f"{file}: not a readable .xlsx workbook ({err})")]) from None
    problems: list[Problem] = []
    tables = {}
    try:
        for sheet in book.worksheets:
            try:
                tables[sheet.title] = _sheet_rows(file, sheet, problems)
            except Exception as err:  # openpyxl and the XML parser raise many kinds
                problems.append(
                    Problem(
                        f"sheet {sheet.title!r} cannot be read ({_first_line(err)}); open the "
                        "workbook "
                        "in a spreadsheet app and save it again",
                        Location(str(file), 1, 1, sheet.title),
                    )
                )
    finally:
        book.close()
    if problems:
        raise MapError(problems)
    return _build(str(file), tables, sheet_names=True)


def _check_package(file: Path) -> None:
    """Refuse what is not an ``.xlsx`` package, or unpacks to more than :data:`LIMITS` allow."""
    try:
        with file.open("rb") as handle:
            head = handle.read(8)
        if head == _OLE:
            raise MapError(
                [
                    Problem(
                        f"{file}: an encrypted (password-protected) workbook or an old .xls "
                        "file; save it without a password as .xlsx and try again"
                    )
                ]
            )
        with zipfile.ZipFile(file) as package:
            unpacked = sum(member.file_size for member in package.infolist())
    except FileNotFoundError:
        raise MapError([Problem(f"{file}: no such file; check the path")]) from None
    except IsADirectoryError:
        raise MapError([Problem(f"{file}: is a folder; give an .xlsx workbook")]) from None
    except (zipfile.BadZipFile, NotImplementedError, ValueError, OSError, EOFError) as err:
        # zipfile raises these for a package that is damaged or not a zip at all.
        raise MapError(
            [
                Problem(
                    f"{file}: not an .xlsx workbook, or a damaged one ({_first_line(err)}); "
                    "save it again as .xlsx"
                )
            ]
        ) from None
    if unpacked > LIMITS["unpacked"]:
        raise MapError(
            [
                Problem(
                    f"{file}: unpacks to {unpacked / 2**20:,.0f} MB, over the "
                    f"{LIMITS['unpacked'] // 2**20} MB journeygraph reads from a workbook; "
                    "a journey map is far smaller: remove what is not the map"
                )
            ]
        )


def _sheet_rows(file: Path, sheet: Any, problems: list[Problem]) -> list[list[Any]]:
    """The values of ``sheet`` by row, reading only the cells that hold one."""
    optional("openpyxl")  # its writer chosen, whichever import comes first
    from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

    class Parser(WorkSheetParser):
        def parse_cell(self, element: Any) -> dict[str, Any]:
            cell: dict[str, Any] = super().parse_cell(element)
            if cell["value"] is None and element.find(FORMULA_TAG) is not None:
                cell["value"] = _UNCALCULATED
            return cell

    def here(row: int, column: int) -> Location:
        return Location(str(file), row, column, sheet.title)

    cells: dict[int, dict[int, Any]] = {}
    count = 0
    # openpyxl's own row reader pads every row to the size the sheet claims.
    book = sheet.parent
    with book._archive.open(sheet._worksheet_path) as source:
        parser = Parser(
            source,
            sheet._shared_strings,
            data_only=True,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for row, found in parser.parse():
                for cell in found:
                    value, column = cell["value"], cell["column"]
                    if value is None or value == "":
                        continue
                    limit = _over_limit(row, column, count)
                    if limit:
                        problems.append(
                            Problem(f"{limit} in sheet {sheet.title!r}", here(row, column))
                        )
                        return []
                    if value is _UNCALCULATED:
                        problems.append(
                            Problem(
                                "this cell holds a formula that was never calculated (the file "
                                "was written by a program, not a spreadsheet app): open and save "
                                "the workbook in a spreadsheet app, or type the value",
                                here(row, column),
                            )
                        )
                        continue
                    if isinstance(value, str):
                        value = from_xlsx_text(value)
                    cells.setdefault(row, {})[column] = value
                    count += 1
    last = max(cells, default=0)
    return [
        [cells.get(r, {}).get(c) for c in range(1, max(cells.get(r, {0: 0}), default=0) + 1)]
        for r in range(1, last + 1)
    ]


def _first_line(error: BaseException) -> str:
    return str(error).splitlines()[0] if str(error) else type(error).__name__


def _over_limit(row: int, column: int, count: int) -> str | None:
    if row > LIMITS["rows"]:
        return f"a value in row {row:,}, past the {LIMITS['rows']:,} rows journeygraph reads"
    if column > LIMITS["columns"]:
        return (
            f"a value in column {column:,}, past the {LIMITS['columns']:,} columns "
            "journeygraph reads"
        )
    if count >= LIMITS["cells"]:
        return f"more than {LIMITS['cells']:,} values"
    return None


def read_csv_folder(path: str | Path) -> JourneyMap:
    """Read a map from a folder holding ``stages.csv``, ``touchpoints.csv`` and so on."""
    folder = Path(path)
    if not folder.is_dir():
        raise MapError([Problem(f"{folder}: not a folder of CSV files")])
    tables = {}
    problems: list[Problem] = []
    for file in sorted(folder.glob("*.csv")):
        if not file.is_file():
            what = "a folder" if file.is_dir() else "not a regular file (a pipe, socket or device)"
            problems.append(
                Problem(
                    f"{file.name} is {what}; a CSV map's tables are files",
                    Location(str(folder), 1, 1, file.name),
                )
            )
            continue
        try:
            tables[file.stem] = _csv_rows(folder, file)
        except MapError as err:
            problems.extend(err.problems)
    if problems:
        raise MapError(problems)
    return _build(str(folder), tables, sheet_names=False)


def _csv_rows(folder: Path, file: Path) -> list[list[Any]]:
    """The cells of one CSV file of a map, or a located problem."""

    def here(line: int, column: int = 1) -> Location:
        return Location(str(folder), line, column, file.name)

    raw = file.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        column = err.start - (raw.rfind(b"\n", 0, err.start) + 1) + 1
        raise MapError(
            [
                Problem(
                    f"byte 0x{raw[err.start]:02x} is not UTF-8; save the file as UTF-8 CSV",
                    Location(str(folder / file.name), line, column),
                )
            ]
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows = []
    try:
        for row in reader:
            rows.append([from_csv_cell(v) for v in row])
    except csv.Error as err:
        what = str(err)
        if "field larger than field limit" in what:
            what = f"a cell of more than {csv.field_size_limit():,} characters"
        elif "unexpected end of data" in what or "EOF" in what:
            what = 'a quoted cell is never closed: add the closing "'
        raise MapError([Problem(f"not valid CSV: {what}", here(reader.line_num))]) from None
    return rows


def _build(file: str, tables: dict[str, list[list[Any]]], *, sheet_names: bool) -> JourneyMap:
    source = SourceMap(file)
    problems: list[Problem] = []

    def here(sheet: str, row: int, column: int) -> Location:
        name = sheet if sheet_names else f"{sheet}.csv"
        return Location(file, row, column, name)

    sheets: dict[str, _Sheet] = {}
    for name, rows in tables.items():
        if name == README_SHEET:
            continue
        if name not in SHEETS:
            hint = did_you_mean(name, SHEETS) or f"; sheets: {', '.join(SHEETS)}"
            problems.append(Problem(f"unknown sheet {name!r}{hint}", here(name, 1, 1)))
            continue
        sheets[name] = _read_sheet(name, rows, here, problems)

    builder = _Builder(source, problems, here, sheet_names)
    data = builder.map_data(sheets)
    try:
        m = from_data(data, source)
    except MapError as err:
        raise MapError([*problems, *err.problems]) from None
    if problems:
        raise MapError(problems)
    return m


def _read_sheet(name: str, rows: list[list[Any]], here: Any, problems: list[Problem]) -> _Sheet:
    header = [_text(v) for v in rows[0]] if rows else []
    while header and header[-1] is None:
        header.pop()
    allowed = SHEETS[name]
    first: dict[Any, int] = {}
    twice: set[int] = set()  # columns already reported as a second one of a name
    for i, column in enumerate(header, start=1):
        if column is None:
            continue
        if column in first:
            problems.append(
                Problem(
                    f"column {column!r} appears twice in sheet {name!r} (first in "
                    f"{_letters(first[column])}1); keep one",
                    here(name, 1, i),
                )
            )
            header[i - 1] = None
            twice.add(i - 1)
            continue
        first[column] = i
        if column not in allowed:
            hint = did_you_mean(str(column), allowed) or f"; columns: {', '.join(allowed)}"
            problems.append(
                Problem(f"unknown column {column!r} in sheet {name!r}{hint}", here(name, 1, i))
            )
    required = {
        "journey": ("key", "value"),
        "transitions": ("from", "to"),
        "ownership": ("touchpoint", "function", "role"),
        "handoffs": ("from", "to"),
        "handoff_at": ("handoff_from", "handoff_to", "from", "to"),
        "goals": ("persona", "goal"),
        "experience": ("touchpoint",),
        "pain_points": ("touchpoint", "pain_point"),
        "quotes": ("touchpoint", "quote"),
        "opportunity_touchpoints": ("opportunity", "touchpoint"),
        "evidence": ("touchpoint", "evidence"),
        "log_names": ("touchpoint", "log_name"),
        "log_performers": ("function", "performer"),
        "metrics": ("metric",),
        "audit": ("setting",),
    }.get(name, ("id",))
    for column in required:
        if column not in header:
            problems.append(
                Problem(
                    f"sheet {name!r} needs a column {column!r} in its first row", here(name, 1, 1)
                )
            )
    # A column with no header (or a second one of a name) reads as "": its values are refused.
    sheet = _Sheet(name, ["" if c is None else str(c) for c in header])
    for number, raw in enumerate(rows[1:], start=2):
        for i, value in enumerate(raw):
            unnamed = i >= len(header) or (header[i] is None and i not in twice)
            if unnamed and value is not None and value != "":
                problems.append(
                    Problem(
                        f"a value in a column with no header in sheet {name!r}: give the "
                        "column a header in row 1, or move the value",
                        here(name, number, i + 1),
                    )
                )
        values = {
            column: raw[i]
            for i, column in enumerate(sheet.columns)
            if column and i < len(raw) and raw[i] is not None and raw[i] != ""
        }
        if values:
            sheet.rows.append((number, values))
    return sheet


class _Builder:
    """Turns sheets into map data, recording the cell of every value."""

    def __init__(self, source: SourceMap, problems: list[Problem], here: Any, named: bool) -> None:
        self.source = source
        self.problems = problems
        self.here = here
        self.named = named

    def note(self, path: KeyPath, sheet: _Sheet, row: int, column: str) -> None:
        col = sheet.col(column) if column in sheet.columns else 1
        self.source.values[path] = (row - 1, col - 1)
        self.source.sheets[path] = sheet.name if self.named else f"{sheet.name}.csv"

    def problem(self, message: str, sheet: _Sheet, row: int, column: str) -> None:
        col = sheet.col(column) if column in sheet.columns else 1
        self.problems.append(Problem(message, self.here(sheet.name, row, col)))

    def map_data(self, sheets: dict[str, _Sheet]) -> dict[str, Any]:
        data: dict[str, Any] = {
            "version": 1,
            "journey": {},
            "stages": [],
            "departments": [],
            "functions": [],
            "touchpoints": [],
            "handoffs": [],
            "personas": [],
            "opportunities": [],
        }
        empty = _Sheet("journey", list(SHEETS["journey"]))
        self._journey(sheets.get("journey", empty), data["journey"])
        for name in ("stages", "departments", "functions", "touchpoints", "personas"):
            if name in sheets:
                data[name] = list(self._entities(sheets[name], name))
        if "opportunities" in sheets:
            data["opportunities"] = list(self._entities(sheets["opportunities"], "opportunities"))
        self._transitions(sheets.get("transitions"), data)
        self._ownership(sheets.get("ownership"), data)
        self._handoffs(sheets.get("handoffs"), data)
        self._handoff_at(sheets.get("handoff_at"), data)
        self._metrics(sheets.get("metrics"), data)
        self._listed(sheets.get("goals"), data, "personas", "persona", "goal", "goals")
        self._listed(
            sheets.get("opportunity_touchpoints"),
            data,
            "opportunities",
            "opportunity",
            "touchpoint",
            "touchpoints",
        )
        self._listed(
            sheets.get("evidence"), data, "touchpoints", "touchpoint", "evidence", "evidence"
        )
        self._listed(
            sheets.get("log_names"), data, "touchpoints", "touchpoint", "log_name", "log_names"
        )
        self._listed(
            sheets.get("log_performers"),
            data,
            "functions",
            "function",
            "performer",
            "log_performers",
        )
        self._experience(sheets, data)
        if "audit" in sheets:
            data["audit"] = self._audit(sheets["audit"])
        return data

    def _journey(self, sheet: _Sheet, journey: dict[str, Any]) -> None:
        for row, values in sheet.rows:
            key = _text(values.get("key"))
            if key not in ("id", "name", "description"):
                self.problem(
                    f"unknown journey key {key!r}; use id, name or description", sheet, row, "key"
                )
                continue
            journey[key] = _text(values.get("value"))
            self.note(("journey", key), sheet, row, "value")
        if "id" not in journey:
            self.problems.append(
                Problem(
                    "the journey sheet needs a row 'id' with the journey's id",
                    self.here("journey", 1, 1),
                )
            )

    def _entities(self, sheet: _Sheet, section: str) -> Iterator[dict[str, Any]]:
        for i, (row, values) in enumerate(sheet.rows):
            item: dict[str, Any] = {}
            self.note((section, i), sheet, row, "id")
            for column, value in values.items():
                if column in _AS_IS:
                    item[column] = value
                else:
                    item[column] = _text(value)
                self.note((section, i, column), sheet, row, column)
            if section in ("stages", "touchpoints"):
                item["metrics"] = []
            if section == "touchpoints":
                item.update(
                    owners={r: [] for r in ROLES}, next=[], experience=[], log_names=[], evidence=[]
                )
            if section == "functions":
                item["log_performers"] = []
            if section == "personas":
                item["goals"] = []
            if section == "opportunities":
                item["touchpoints"] = []
            yield item

    def _index(self, data: dict[str, Any], section: str) -> dict[str, int]:
        index: dict[str, int] = {}
        for i, item in enumerate(data[section]):
            index.setdefault(item.get("id"), i)
        return index

    def _lookup(
        self, index: dict[str, int], ident: Any, kind: str, sheet: _Sheet, row: int, column: str
    ) -> int | None:
        if ident in index:
            return index[ident]
        section = "stages" if kind == "stage" else "touchpoints"
        hint = did_you_mean(str(ident), [str(k) for k in index]) or f"; see the {section} sheet"
        self.problem(f"unknown {kind} {ident!r}{hint}", sheet, row, column)
        return None

    def _transitions(self, sheet: _Sheet | None, data: dict[str, Any]) -> None:
        index = self._index(data, "touchpoints")
        for row, values in sheet.rows if sheet else ():
            i = self._lookup(index, _text(values.get("from")), "touchpoint", sheet, row, "from")  # type: ignore[arg-type]
            if i is None or sheet is None:
                continue
            steps = data["touchpoints"][i]["next"]
            step: dict[str, Any] = {"to": _text(values.get("to"))}
            for key in ("weight", "cycle", "reason"):
                if key in values:
                    step[key] = values[key]
            path = ("touchpoints", i, "next", len(steps))
            self.note(path, sheet, row, "to")
            for key in ("to", "weight", "cycle", "reason"):
                self.note((*path, key), sheet, row, key)
            steps.append(step)

    def _ownership(self, sheet: _Sheet | None, data: dict[str, Any]) -> None:
        index = self._index(data, "touchpoints")
        names = {"responsible": "R", "accountable": "A", "consulted": "C", "informed": "I"}
        for row, values in sheet.rows if sheet else ():
            assert sheet is not None
            i = self._lookup(
                index, _text(values.get("touchpoint")), "touchpoint", sheet, row, "touchpoint"
            )
            role = str(_text(values.get("role")) or "").strip()
            role = names.get(role.lower(), role.upper())
            if role not in ROLES:
                self.problem(
                    f"role must be R, A, C or I, not {values.get('role')!r}", sheet, row, "role"
                )
                continue
            if i is None:
                continue
            held = data["touchpoints"][i]["owners"][role]
            self.note(("touchpoints", i, "owners", role, len(held)), sheet, row, "function")
            held.append(_text(values.get("function")))

    def _handoffs(self, sheet: _Sheet | None, data: dict[str, Any]) -> None:
        for k, (row, values) in enumerate(sheet.rows if sheet else ()):
            assert sheet is not None
            handoff = {c: _text(v) for c, v in values.items()}
            self.note(("handoffs", k), sheet, row, "from")
            for column in handoff:
                self.note(("handoffs", k, column), sheet, row, column)
            data["handoffs"].append(handoff)

    def _handoff_at(self, sheet: _Sheet | None, data: dict[str, Any]) -> None:
        index = {(h.get("from"), h.get("to")): k for k, h in enumerate(data["handoffs"])}
        for row, values in sheet.rows if sheet else ():
            assert sheet is not None
            pair = (_text(values.get("handoff_from")), _text(values.get("handoff_to")))
            k = index.get(pair)
            if k is None:
                self.problem(
                    f"no handoff from {pair[0]!r} to {pair[1]!r} in the handoffs sheet; "
                    "a row here scopes a declared handoff to one transition",
                    sheet,
                    row,
                    "handoff_from",
                )
                continue
            at = data["handoffs"][k].setdefault("at", [])
            path = ("handoffs", k, "at", len(at))
            self.note(path, sheet, row, "from")
            self.note((*path, 0), sheet, row, "from")
            self.note((*path, 1), sheet, row, "to")
            at.append([_text(values.get("from")), _text(values.get("to"))])

    def _listed(
        self,
        sheet: _Sheet | None,
        data: dict[str, Any],
        section: str,
        owner: str,
        column: str,
        key: str,
    ) -> None:
        """Rows naming an entity of ``section`` and one more item of its list ``key``."""
        index = self._index(data, section)
        for row, values in sheet.rows if sheet else ():
            assert sheet is not None
            ident = _text(values.get(owner))
            if ident not in index:
                hint = did_you_mean(str(ident), [str(k) for k in index])
                self.problem(
                    f"unknown {owner} {ident!r}{hint or f'; see the {section} sheet'}",
                    sheet,
                    row,
                    owner,
                )
                continue
            items = data[section][index[ident]][key]
            self.note((section, index[ident], key, len(items)), sheet, row, column)
            items.append(_text(values.get(column)))

    def _experience(self, sheets: dict[str, _Sheet], data: dict[str, Any]) -> None:
        """Experience, pain points and quotes: one entry per touchpoint and persona."""
        index = self._index(data, "touchpoints")
        for name, column, key in (
            ("experience", "emotion", "emotion"),
            ("pain_points", "pain_point", "pain_points"),
            ("quotes", "quote", "quotes"),
        ):
            sheet = sheets.get(name)
            for row, values in sheet.rows if sheet else ():
                assert sheet is not None
                i = self._lookup(
                    index, _text(values.get("touchpoint")), "touchpoint", sheet, row, "touchpoint"
                )
                if i is None:
                    continue
                felt = data["touchpoints"][i]["experience"]
                persona = _text(values.get("persona"))
                j = next((j for j, e in enumerate(felt) if e.get("persona") == persona), None)
                if j is None:
                    j = len(felt)
                    felt.append({"persona": persona} if persona is not None else {})
                    self.note(("touchpoints", i, "experience", j), sheet, row, "touchpoint")
                    self.note(("touchpoints", i, "experience", j, "persona"), sheet, row, "persona")
                path = ("touchpoints", i, "experience", j, key)
                if key == "emotion":
                    felt[j]["emotion"] = values.get("emotion")
                    self.note(path, sheet, row, column)
                else:
                    items = felt[j].setdefault(key, [])
                    self.note((*path, len(items)), sheet, row, column)
                    items.append(_text(values.get(column)))

    def _metrics(self, sheet: _Sheet | None, data: dict[str, Any]) -> None:
        stages, touchpoints = self._index(data, "stages"), self._index(data, "touchpoints")
        for row, values in sheet.rows if sheet else ():
            assert sheet is not None
            if ("stage" in values) == ("touchpoint" in values):
                self.problem("fill exactly one of stage and touchpoint", sheet, row, "stage")
                continue
            section, column, index = (
                ("stages", "stage", stages)
                if "stage" in values
                else ("touchpoints", "touchpoint", touchpoints)
            )
            kind = column
            i = self._lookup(index, _text(values[column]), kind, sheet, row, column)
            if i is not None:
                data[section][i]["metrics"].append(_text(values.get("metric")))

    def _audit(self, sheet: _Sheet) -> dict[str, Any]:
        audit: dict[str, Any] = {"thresholds": {}, "disable": [], "severity": {}, "waivers": []}
        for row, values in sheet.rows:
            setting = _text(values.get("setting"))
            name = _text(values.get("name"))
            if setting == "threshold":
                audit["thresholds"][name] = values.get("value")
                self.note(("audit", "thresholds", str(name)), sheet, row, "value")
            elif setting == "disable":
                self.note(("audit", "disable", len(audit["disable"])), sheet, row, "name")
                audit["disable"].append(name)
            elif setting == "severity":
                audit["severity"][name] = _text(values.get("value"))
                self.note(("audit", "severity", str(name)), sheet, row, "value")
            elif setting == "waiver":
                try:
                    entities = json.loads(str(values.get("entities", "[]")))
                except json.JSONDecodeError:
                    self.problem(
                        'entities must be a JSON list, e.g. ["demo", "proposal"]',
                        sheet,
                        row,
                        "entities",
                    )
                    continue
                path = ("audit", "waivers", len(audit["waivers"]))
                self.note(path, sheet, row, "name")
                self.note((*path, "rule"), sheet, row, "name")
                audit["waivers"].append(
                    {"rule": name, "entities": entities, "reason": _text(values.get("reason"))}
                )
            else:
                self.problem(
                    f"setting must be threshold, disable, severity or waiver, not {setting!r}",
                    sheet,
                    row,
                    "setting",
                )
        return {k: v for k, v in audit.items() if v}


def _text(value: Any) -> Any:
    """A cell as text where text is meant: whole numbers lose their ``.0``."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    return str(value)


# --- writing -----------------------------------------------------------------


def _rows(m: JourneyMap) -> dict[str, list[list[Any]]]:
    audit = m.audit
    return {
        "journey": [["id", m.journey.id]]
        + [
            [k, v]
            for k, v in (("name", m.journey.name), ("description", m.journey.description))
            if v is not None
        ],
        "stages": [[s.id, s.name, s.description] for s in m.stages],
        "departments": [[d.id, d.name, d.external or None, d.description] for d in m.departments],
        "functions": [
            [function.id, function.name, function.department, function.fte, function.description]
            for function in m.functions
        ],
        "touchpoints": [
            [
                t.id,
                t.name,
                t.stage,
                t.channel,
                t.layer,
                t.entry,
                t.exit,
                t.volume,
                t.handle_minutes,
                t.description,
            ]
            for t in m.touchpoints
        ],
        "transitions": [
            [t.id, s.to, s.weight, s.cycle, s.reason] for t in m.touchpoints for s in t.next
        ],
        "ownership": [
            [t.id, function, role]
            for t in m.touchpoints
            for role in ROLES
            for function in t.owners.role(role)
        ],
        "handoffs": [
            [h.from_, h.to, h.name, h.sla, h.artefact, h.system, h.description] for h in m.handoffs
        ],
        "handoff_at": [[h.from_, h.to, a, b] for h in m.handoffs for a, b in h.at],
        "metrics": [[s.id, None, k] for s in m.stages for k in s.metrics]
        + [[None, t.id, k] for t in m.touchpoints for k in t.metrics],
        "personas": [[p.id, p.name, p.description] for p in m.personas],
        "goals": [[p.id, g] for p in m.personas for g in p.goals],
        # One experience row per entry, emotion or not: it keeps the entries' order.
        "experience": [[t.id, e.persona, e.emotion] for t in m.touchpoints for e in t.experience],
        "pain_points": [
            [t.id, e.persona, p] for t in m.touchpoints for e in t.experience for p in e.pain_points
        ],
        "quotes": [
            [t.id, e.persona, q] for t in m.touchpoints for e in t.experience for q in e.quotes
        ],
        "opportunities": [
            [o.id, o.name, o.owner, o.status, o.priority, o.description] for o in m.opportunities
        ],
        "opportunity_touchpoints": [[o.id, t] for o in m.opportunities for t in o.touchpoints],
        "evidence": [[t.id, e] for t in m.touchpoints for e in t.evidence],
        "log_names": [[t.id, n] for t in m.touchpoints for n in t.log_names],
        "log_performers": [
            [function.id, p] for function in m.functions for p in function.log_performers
        ],
        "audit": [
            ["threshold", k, v, None, None]
            for k, v in audit.thresholds.model_dump(exclude_unset=True).items()
        ]
        + [["disable", r, None, None, None] for r in audit.disable]
        + [["severity", r, s.value, None, None] for r, s in audit.severity.items()]
        + [
            ["waiver", w.rule, None, json.dumps(w.entities, ensure_ascii=False), w.reason]
            for w in audit.waivers
        ],
    }


_LISTS = {
    ("touchpoints", "stage"): "stages",
    ("functions", "department"): "departments",
    ("transitions", "from"): "touchpoints",
    ("transitions", "to"): "touchpoints",
    ("ownership", "touchpoint"): "touchpoints",
    ("ownership", "function"): "functions",
    ("handoffs", "from"): "functions",
    ("handoffs", "to"): "functions",
    ("metrics", "stage"): "stages",
    ("metrics", "touchpoint"): "touchpoints",
    ("handoff_at", "handoff_from"): "functions",
    ("handoff_at", "handoff_to"): "functions",
    ("handoff_at", "from"): "touchpoints",
    ("handoff_at", "to"): "touchpoints",
    ("goals", "persona"): "personas",
    ("evidence", "touchpoint"): "touchpoints",
    ("log_names", "touchpoint"): "touchpoints",
    ("log_performers", "function"): "functions",
    ("experience", "touchpoint"): "touchpoints",
    ("experience", "persona"): "personas",
    ("pain_points", "touchpoint"): "touchpoints",
    ("pain_points", "persona"): "personas",
    ("quotes", "touchpoint"): "touchpoints",
    ("quotes", "persona"): "personas",
    ("opportunities", "owner"): "functions",
    ("opportunity_touchpoints", "opportunity"): "opportunities",
    ("opportunity_touchpoints", "touchpoint"): "touchpoints",
}
_CHOICES = {
    ("touchpoints", "layer"): ",".join(LAYERS),
    ("touchpoints", "entry"): "TRUE,FALSE",
    ("touchpoints", "exit"): "TRUE,FALSE",
    ("ownership", "role"): ",".join(ROLES),
    ("departments", "external"): "TRUE,FALSE",
    ("experience", "emotion"): "-2,-1,0,1,2",
    ("opportunities", "status"): ",".join(STATUSES),
    ("opportunities", "priority"): "1,2,3",
    ("audit", "setting"): "threshold,disable,severity,waiver",
}


def write_workbook(m: JourneyMap, path: str | Path) -> Path:
    """Write the map as an ``.xlsx`` workbook with a README sheet and drop-down lists."""
    optional("openpyxl")  # without it: which extra to install
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    readme = book.active
    assert readme is not None
    readme.title = README_SHEET
    for line in README:
        readme.append([line])
    readme.column_dimensions["A"].width = 110
    for name, rows in _rows(m).items():
        sheet = book.create_sheet(name)
        columns = SHEETS[name]
        sheet.append(list(columns))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="ECEFF1")
        # Rows are placed by number: Worksheet.max_row scans every cell, and
        # asking it once per cell made writing quadratic in the map's size.
        for row, values in enumerate(rows, start=2):
            for col, value in enumerate(values, start=1):
                if value is None:
                    continue
                try:
                    kept = xlsx_cell(value)
                except CellTooLongError as err:
                    raise OutputError(
                        f"cannot write {path}: {name}!{_letters(col)}{row} "
                        f"({columns[col - 1]}) holds {err}; shorten it in the map, "
                        "or export to .yaml, which keeps any length"
                    ) from None
                cell = sheet.cell(row=row, column=col, value=kept)
                if isinstance(value, str):
                    cell.data_type = "s"  # text, even when it starts with '=': never a formula
        sheet.freeze_panes = "A2"
        for col, column in enumerate(columns, start=1):
            letter = sheet.cell(row=1, column=col).column_letter
            sheet.column_dimensions[letter].width = 14 if column in ("entry", "exit") else 28
            source = _LISTS.get((name, column))
            choices = _CHOICES.get((name, column))
            if source is None and choices is None:
                continue
            formula = f"={source}!$A$2:$A${_MAX_ROWS}" if source else f'"{choices}"'
            check = DataValidation(type="list", formula1=formula, allow_blank=True)
            check.add(f"{letter}2:{letter}{_MAX_ROWS}")
            sheet.add_data_validation(check)
    # Saved in memory first: openpyxl leaves its zip file open when a save fails.
    data = io.BytesIO()
    with reporting(Path(path)):
        book.save(data)
    return atomic_write(path, data.getvalue())


def write_csv_folder(m: JourneyMap, path: str | Path) -> Path:
    """Write the map as a folder of CSV files, one per sheet."""
    with output_folder(path) as folder:
        for name, rows in _rows(m).items():
            (folder / f"{name}.csv").write_text(
                csv_text([SHEETS[name], *rows]), encoding="utf-8", newline=""
            )
    return Path(path)
