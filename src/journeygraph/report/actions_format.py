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
from journeygraph.report.terminal import SEVERITY_STYLE, render_text, safe
from journeygraph.severity import Severity
from journeygraph.tabular import CellTooLongError, xlsx_cell

if TYPE_CHECKING:
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
    its file sets them (:func:`_theme_cells`)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook has its sheet
    sheet.title = "actions"
    headers = {"reach": reach_header(plan), "owner_reason": "Why this owner"}
    sheet.append([headers.get(c, c.replace("_", " ").capitalize()) for c in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="37474F")
    for number, a in enumerate(plan, start=2):
        row = a.to_dict()
        for col, column in enumerate(COLUMNS, start=1):
            try:
                value = _cell(row[column])
            except CellTooLongError as err:
                raise OutputError(
                    f"the action plan's {column} in row {number} holds {err}; "
                    "write the plan as .csv, .json or .md instead"
                ) from None
            if value is None:
                continue
            cell = sheet.cell(row=number, column=col, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # text a user wrote stays text, never a formula
    widths = {
        "action": 60,
        "details": 70,
        "owner": 26,
        "owner_reason": 34,
        "source": 14,
        "reach": 16,
    }
    # One style object for every cell: making one per cell cost more than the cells.
    wrapped = Alignment(wrap_text=True, vertical="top")
    for i, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(i)
        sheet.column_dimensions[letter].width = widths.get(column, 11)
        for cell in sheet[letter][1:]:
            cell.alignment = wrapped
    if theme is not None:
        _theme_cells(sheet, plan, theme)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    status = DataValidation(type="list", formula1='"' + ",".join(STATUSES) + '"', allow_blank=True)
    sheet.add_data_validation(status)
    letter = get_column_letter(COLUMNS.index("status") + 1)
    status.add(f"{letter}2:{letter}{max(len(plan) + 1, 2) + 500}")
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
                cell.font = header if name else cell.font
            elif cell.column == column and theme.chosen("severity"):
                cell.font = by_severity[plan[cell.row - 2].severity]
            elif name:
                cell.font = body


def _cell(value: object) -> str | int | float | None:
    if isinstance(value, list):
        value = ", ".join(map(str, value))
    kept = xlsx_cell(value)
    return kept if kept is None or isinstance(kept, str | int | float) else str(kept)
