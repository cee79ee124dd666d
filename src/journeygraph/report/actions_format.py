"""The action plan in each format: text, JSON, CSV, Markdown, and a workbook for a tracker."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.table import Table

from journeygraph.actions import reach_header
from journeygraph.escape import json_text, printable, shown
from journeygraph.exceptions import JourneyGraphError, OutputError
from journeygraph.extras import optional
from journeygraph.report.terminal import SEVERITY_STYLE, render_text, safe
from journeygraph.severity import Severity
from journeygraph.tabular import XLSX_CELL_LIMIT, CellTooLongError, xlsx_cell

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    from journeygraph.actions import Action
    from journeygraph.theme import Theme

__all__ = [
    "COLUMNS",
    "STATUSES",
    "actions_json",
    "actions_markdown",
    "actions_text",
    "actions_xlsx",
    "plan_format",
]

COLUMNS = (
    "priority",
    "action",
    "details",
    "owner",
    "owner_reason",
    "severity",
    "reach",
    "reach_source",
    "findings",
    "status",
    "source",
)
"""The columns of a tracker row, in order."""

SUFFIXES = {
    ".csv": "csv",
    ".json": "json",
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "text",
    ".xlsx": "xlsx",
}
"""The format a plan's output file is written in, by its suffix."""


def plan_format(output: Path | None, given: str | None) -> str:
    """The format to write a plan in: ``given`` (``--format``), else the output's suffix,
    else ``text``; a suffix that contradicts ``given`` is refused.

    Examples
    --------
    >>> plan_format(Path("plan.csv"), None), plan_format(None, None)
    ('csv', 'text')
    >>> plan_format(Path("plan.json"), "csv")
    Traceback (most recent call last):
    ...
    journeygraph.exceptions.JourneyGraphError: plan.json is a .json file, but --format says csv; ...
    """
    suffix = output.suffix.lower() if output is not None else ""
    by_suffix = SUFFIXES.get(suffix)
    if output is not None and suffix and by_suffix is None and given is None:
        raise JourneyGraphError(
            f"{shown(output)}: cannot tell the format from {shown(suffix)!r}; name the file "
            f"{', '.join(SUFFIXES)}, or give --format"
        )
    if given is not None and by_suffix is not None and by_suffix != given:
        wanted = next(k for k, v in SUFFIXES.items() if v == given)
        raise JourneyGraphError(
            f"{shown(output)} is a {suffix} file, but --format says {given}; "
            f"drop --format, or name the file {wanted}"
        )
    return given or by_suffix or "text"


STATUSES = ("open", "idea", "planned", "in-progress", "done")
"""What the status column of a tracker offers."""


def actions_json(plan: Sequence[Action]) -> str:
    """The plan as JSON: ``{"actions": [...]}``, one object a row."""
    return json_text({"actions": [a.to_dict() for a in plan]}, indent=2)


def actions_text(plan: Sequence[Action], *, color: bool = False, width: int = 120) -> str:
    """The plan as a table for the terminal."""
    table = Table(title=safe(f"Action plan ({len(plan)} actions)"), title_justify="left")
    reach = reach_header(plan)
    for column in ("#", "Action", "Owner", "Severity", reach, "Findings", "Status"):
        table.add_column(column, justify="right" if column in ("#", reach, "Findings") else "left")
    for a in plan:
        table.add_row(
            safe(str(a.priority)),
            safe(a.title + ("\n" + "; ".join(a.details[:3]) if a.details else "")),
            safe(a.owner),
            safe(a.severity.value, style=SEVERITY_STYLE[a.severity]),
            safe(f"{a.reach:,}" if a.reach is not None else ""),
            safe(str(len(a.findings))),
            safe(a.status),
        )
    return render_text(table, color=color, width=width)


def actions_markdown(plan: Sequence[Action]) -> str:
    """The plan as a Markdown table."""
    from journeygraph.escape import markdown as md

    lines = [
        f"| # | Action | Owner | Severity | {reach_header(plan)} | Status |",
        "| ---: | --- | --- | --- | ---: | --- |",
    ]
    for a in plan:
        what = md(a.title) + (f"<br>{md('; '.join(a.details[:3]))}" if a.details else "")
        reach = f"{a.reach:,}" if a.reach is not None else ""
        lines.append(
            f"| {a.priority} | {what} | {md(a.owner)} | {a.severity.value} | {reach} | "
            f"{md(a.status)} |"
        )
    return "\n".join(lines) + "\n"


def actions_xlsx(plan: Sequence[Action], *, title: str, theme: Theme | None = None) -> bytes:
    """The plan as a workbook a client's tracker takes: one row an action, filters on,
    the header frozen, and a status drop-down; ``theme``'s fonts and severity colours where
    its file sets them (:func:`_theme_cells`).

    An action whose details do not fit a cell (Excel's 32,767 characters) shows
    the first of them and "… and N more"; every detail of such an action is
    then listed, one a row, on a second sheet, ``details``.
    """
    optional("openpyxl")  # not installed: which extra to install
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook has its sheet
    sheet.title = "actions"
    headers = {"reach": reach_header(plan), "owner_reason": "Why this owner"}
    sheet.append([headers.get(c, c.replace("_", " ").capitalize()) for c in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="37474F")
    cut = _write_rows(book, sheet, plan)
    widths = {
        "action": 60,
        "details": 70,
        "owner": 26,
        "owner_reason": 34,
        "source": 14,
        "reach": 16,
    }
    for i, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = widths.get(column, 11)
    _finish(sheet, len(plan))
    if theme is not None:
        _theme_cells(sheet, plan, theme)
    if cut:
        _details_sheet(book, cut)
    book.properties.title = printable(title)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _theme_cells(sheet: Any, plan: Sequence[Action], theme: Theme) -> None:
    """Every cell in the theme's first font, and each action's severity in its colour,
    where the theme file sets them (a workbook otherwise keeps the spreadsheet's font)."""
    from openpyxl.styles import Font

    name = theme.first_font() if theme.chosen("fonts") else None
    header = Font(bold=True, color="FFFFFF", name=name)
    body = Font(name=name)
    # One font object per kind of cell, shared: one per cell cost more than the cells.
    by_severity = {
        s: Font(name=name, bold=True, color=theme.severity[s][1:].upper()) for s in Severity
    }
    column = COLUMNS.index("severity") + 1
    for row in sheet.iter_rows():
        for cell in row:
            if cell.row == 1:
                if name:
                    cell.font = header
            elif cell.column == column and theme.chosen("severity"):
                cell.font = by_severity[plan[cell.row - 2].severity]
            elif name:
                cell.font = body


def _write_rows(book: Workbook, sheet: Worksheet, plan: Sequence[Action]) -> list[Action]:
    """Every action's row, each cell wrapped at the top; the actions whose details were cut."""
    from openpyxl.cell.cell import Cell
    from openpyxl.styles import Alignment
    from openpyxl.styles.cell_style import StyleArray

    # Every cell carries the one wrapped style, given as the cell is made:
    # setting it cell by cell looked it up in the workbook's styles each time.
    wrapped = StyleArray()
    alignment = Alignment(wrap_text=True, vertical="top")
    wrapped.alignmentId = book._alignments.add(alignment)  # type: ignore[attr-defined]
    cells = sheet._cells
    cut: list[Action] = []
    for number, a in enumerate(plan, start=2):
        row = a.to_dict()
        for col, column in enumerate(COLUMNS, start=1):
            try:
                value = _cell(row[column])
            except CellTooLongError as err:
                if column != "details":
                    raise OutputError(
                        f"the action plan's {column} in row {number} holds {err}; "
                        "write the plan as .csv, .json or .md instead"
                    ) from None
                value = _cut_details(a.details)
                cut.append(a)
            cell = Cell(sheet, row=number, column=col, style_array=wrapped)
            if isinstance(value, str):
                # Text a user wrote stays text, never a formula; xlsx_cell made it
                # safe for XML, so openpyxl's own scan of it is skipped.
                cell._value, cell.data_type = value, "s"  # type: ignore[attr-defined]
            elif value is not None:
                cell.value = value
            cells[(number, col)] = cell
    return cut


def _finish(sheet: Worksheet, rows: int) -> None:
    """The header frozen, filters on, and the status column's drop-down."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    status = DataValidation(type="list", formula1='"' + ",".join(STATUSES) + '"', allow_blank=True)
    sheet.add_data_validation(status)
    letter = get_column_letter(COLUMNS.index("status") + 1)
    status.add(f"{letter}2:{letter}{max(rows + 1, 2) + 500}")


MORE = "; … and {n:,} more (sheet details)"
"""What ends a cut list of details in the plan's workbook."""


def _cut_details(details: Sequence[str]) -> str:
    """As many of ``details`` as fit a workbook cell with :data:`MORE` after them.

    Examples
    --------
    >>> from journeygraph.tabular import XLSX_CELL_LIMIT
    >>> text = _cut_details(["x" * 20_000, "y" * 20_000, "z"])
    >>> text.endswith("… and 2 more (sheet details)"), len(text) <= XLSX_CELL_LIMIT
    (True, True)
    """
    room = XLSX_CELL_LIMIT - len(MORE.format(n=len(details)))
    kept: list[str] = []
    used = -2  # no "; " before the first
    for detail in details:
        text = _text(detail)
        if used + 2 + len(text) > room:
            break
        kept.append(text)
        used += 2 + len(text)
    return "; ".join(kept) + MORE.format(n=len(details) - len(kept))


def _details_sheet(book: Workbook, cut: Sequence[Action]) -> None:
    """Every detail of the actions in ``cut``, one a row, beside the action's priority."""
    from openpyxl.cell.cell import Cell
    from openpyxl.styles import Font

    sheet = book.create_sheet("details")
    sheet.append(["Priority", "Detail"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    row = 1
    for a in cut:
        for detail in a.details:
            row += 1
            sheet.cell(row=row, column=1, value=a.priority)
            text = Cell(sheet, row=row, column=2)
            text._value, text.data_type = _text(detail), "s"  # type: ignore[attr-defined]  # never a formula
            sheet._cells[(row, 2)] = text
    sheet.column_dimensions["B"].width = 120
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions


def _text(detail: str) -> str:
    """One detail as a workbook cell holds it; a detail too long for a cell alone is cut
    at the characters that fit, and says how long it was."""
    try:
        kept = xlsx_cell(detail)
    except CellTooLongError:
        more = f" … and {len(detail):,} characters in all"
        room = XLSX_CELL_LIMIT - len(more)
        end = room
        while True:  # escaping lengthens the text: shorten until it fits
            try:
                length = len(str(xlsx_cell(detail[:end])))
            except CellTooLongError as err:
                length = err.length
            if length <= room:
                break
            end -= length - room
        kept = xlsx_cell(detail[:end])
        return f"{kept}{more}"
    assert isinstance(kept, str)
    return kept


def _cell(value: object) -> str | int | float | None:
    if isinstance(value, list):
        value = ", ".join(map(str, value))
    kept = xlsx_cell(value)
    return kept if kept is None or isinstance(kept, str | int | float) else str(kept)
