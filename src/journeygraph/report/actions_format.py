"""The action plan in each format: text, JSON, CSV, Markdown, and a workbook for a tracker."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from journeygraph.actions import reach_header
from journeygraph.escape import json_text, printable, shown
from journeygraph.exceptions import JourneyGraphError, OutputError
from journeygraph.extras import optional
from journeygraph.severity import Severity
from journeygraph.tabular import XLSX_CELL_LIMIT, CellTooLongError, xlsx_cell

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    from journeygraph.actions import Action
    from journeygraph.model import JourneyMap
    from journeygraph.report.xlsx_rows import Cell
    from journeygraph.theme import Theme

__all__ = [
    "COLUMNS",
    "STATUSES",
    "actions_json",
    "actions_markdown",
    "actions_text",
    "actions_xlsx",
    "plan_format",
    "plan_title",
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
    # rich here only: the workbook's writer runs without it (`journeygraph._actions_command`).
    from rich.table import Table

    from journeygraph.report.terminal import SEVERITY_STYLE, render_text, safe

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
    # A plan's owners and statuses are few and come again and again: each escaped once.
    said: dict[str, str] = {}
    for a in plan:
        what = md(a.title) + (f"<br>{md('; '.join(a.details[:3]))}" if a.details else "")
        reach = f"{a.reach:,}" if a.reach is not None else ""
        owner = said.get(a.owner)
        if owner is None:
            owner = said[a.owner] = md(a.owner)
        status = said.get(a.status)
        if status is None:
            status = said[a.status] = md(a.status)
        lines.append(
            f"| {a.priority} | {what} | {owner} | {a.severity.value} | {reach} | {status} |"
        )
    return "\n".join(lines) + "\n"


def plan_title(m: JourneyMap) -> str:
    """The title an action plan's workbook carries.

    Examples
    --------
    >>> from journeygraph.testing import tiny_map
    >>> plan_title(tiny_map())
    'Tiny: action plan'
    """
    return f"{m.journey.label}: action plan"


def actions_xlsx(plan: Sequence[Action], *, title: str, theme: Theme | None = None) -> bytes:
    """The plan as a workbook a client's tracker takes: one row an action, filters on,
    the header frozen, and a status drop-down; ``theme``'s fonts and severity colours where
    its file sets them (:func:`_body_styles`).

    An action whose details do not fit a cell (Excel's 32,767 characters) shows
    the first of them and "… and N more"; every detail of such an action is
    then listed, one a row, on a second sheet, ``details``.

    openpyxl writes the workbook with its header rows, settings and styles; the
    rows of the actions and details are written as XML text into its sheets
    (:mod:`journeygraph.report.xlsx_rows`: openpyxl's cells cost more than the audit).
    """
    optional("openpyxl")  # not installed: which extra to install
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    from journeygraph.report.xlsx_rows import with_rows

    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook has its sheet
    sheet.title = "actions"
    headers = {"reach": reach_header(plan), "owner_reason": "Why this owner"}
    sheet.append([headers.get(c, c.replace("_", " ").capitalize()) for c in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="37474F")
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
    last = f"{get_column_letter(len(COLUMNS))}{len(plan) + 1}"
    _finish(sheet, len(plan), f"A1:{last}")
    rows, cut = _rows_xml(plan, _body_styles(book, sheet, plan, theme))
    spliced = {"xl/worksheets/sheet1.xml": (f"A1:{last}", rows)}
    if cut:
        spliced["xl/worksheets/sheet2.xml"] = _details_sheet(book, cut)
    book.properties.title = printable(title)
    out = io.BytesIO()
    book.save(out)
    return with_rows(out.getvalue(), spliced)


def _body_styles(
    book: Workbook, sheet: Worksheet, plan: Sequence[Action], theme: Theme | None
) -> list[tuple[int, ...]]:
    """Each action's row of cell formats: every cell wrapped at the top, in the theme's
    first font, and its severity in its colour, where the theme file sets them (a
    workbook otherwise keeps the spreadsheet's font).

    The fonts and formats are added to the workbook in the order openpyxl adds
    them when each cell is given its style and the sheet is saved: the header's
    first, then each row's, the first row of each severity, left to right.
    """
    optional("openpyxl")  # its writer chosen, whichever import comes first
    from openpyxl.styles import Alignment, Font
    from openpyxl.styles.cell_style import StyleArray

    wrapped = StyleArray()
    wrapped.alignmentId = book._alignments.add(Alignment(wrap_text=True, vertical="top"))  # type: ignore[attr-defined]
    name = theme.first_font() if theme is not None and theme.chosen("fonts") else None
    if name:
        header = Font(bold=True, color="FFFFFF", name=name)
        for cell in sheet[1]:
            cell.font = header
    for cell in sheet[1]:
        cell.style_id  # noqa: B018  # the header's formats come first, as when saved
    body = Font(name=name) if name else None
    by_severity = (
        {s: Font(name=name, bold=True, color=theme.severity[s][1:].upper()) for s in Severity}
        if theme is not None and theme.chosen("severity")
        else {}
    )
    column = COLUMNS.index("severity")
    rows: dict[Severity, tuple[int, ...]] = {}
    for a in plan:
        if a.severity not in rows:
            fonts = [
                by_severity.get(a.severity) if i == column else body for i in range(len(COLUMNS))
            ]
            rows[a.severity] = tuple(_format(book, wrapped, font) for font in fonts)
    return [rows[a.severity] for a in plan]


def _format(book: Workbook, base: Any, font: Any) -> int:
    """The index of ``base`` in ``font`` (or as it is) among the workbook's cell formats."""
    optional("openpyxl")
    from openpyxl.styles.cell_style import StyleArray

    style = StyleArray(base)
    if font is not None:
        style.fontId = book._fonts.add(font)  # type: ignore[attr-defined]
    return int(book._cell_styles.add(style))  # type: ignore[attr-defined]


def _rows_xml(
    plan: Sequence[Action], styles: Sequence[tuple[int, ...]]
) -> tuple[bytes, list[Action]]:
    """The sheet's rows of the plan, as :func:`~journeygraph.report.xlsx_rows.rows_xml`
    writes each action's :data:`COLUMNS` (its ``to_dict``), made safe
    (`journeygraph.tabular.xlsx_cell`), with the cell formats ``styles``; and the
    actions whose details were cut (:func:`_cut_details`).

    Each row is written in one piece, its cells in :data:`COLUMNS`' order, A to K:
    the plan of a 10,000-touchpoint map has 325,000 cells, and a cell at a time
    (each value's kind asked, its text looked up) took twice as long (a test
    compares the two).
    """
    from journeygraph.report.xlsx_rows import number_cell, text_cell

    cut: list[Action] = []
    out: list[str] = []
    # Owners, reasons, severities, statuses come again and again: each written once.
    said: dict[str, str] = {}

    def text(value: str, column: str, number: int) -> str:
        cell = said.get(value)
        if cell is None:
            cell = said[value] = text_cell(_safe(value, column, number))
        return cell

    styled: dict[tuple[int, ...], list[str]] = {}
    for n, (a, style) in enumerate(zip(plan, styles, strict=True), start=2):
        s = styled.get(style)
        if s is None:
            s = styled[style] = [f' s="{i}"' if i else "" for i in style]
        try:
            details = text_cell(_kept("; ".join(a.details)))
        except CellTooLongError:
            details = text_cell(_cut_details(a.details))
            cut.append(a)
        # openpyxl leaves out a cell with neither value nor format.
        reach = "" if a.reach is None and not s[6] else f'<c r="G{n}"{s[6]}{number_cell(a.reach)}'
        out.append(
            f'<row r="{n}"><c r="A{n}"{s[0]}{number_cell(a.priority)}'
            f'<c r="B{n}"{s[1]}{text_cell(_safe(a.title, "action", n))}<c r="C{n}"{s[2]}{details}'
            f'<c r="D{n}"{s[3]}{text(a.owner, "owner", n)}'
            f'<c r="E{n}"{s[4]}{text(a.owner_reason, "owner_reason", n)}'
            f'<c r="F{n}"{s[5]}{text(a.severity.value, "severity", n)}{reach}'
            f'<c r="H{n}"{s[7]}{text(a.reach_source, "reach_source", n)}'
            f'<c r="I{n}"{s[8]}{number_cell(len(a.findings))}'
            f'<c r="J{n}"{s[9]}{text(a.status, "status", n)}'
            f'<c r="K{n}"{s[10]}{text(a.source, "source", n)}</row>'
        )
    # As libxml2 writes an ASCII document: any other character as a reference.
    return "".join(out).encode("ascii", "xmlcharrefreplace"), cut


def _safe(value: str, column: str, number: int) -> str:
    """``value`` as the workbook's cell holds it, or what to do when it does not fit."""
    try:
        return _kept(value)
    except CellTooLongError as err:
        raise OutputError(
            f"the action plan's {column} in row {number} holds {err}; "
            "write the plan as .csv, .json or .md instead"
        ) from None


def _kept(value: str) -> str:
    """:func:`~journeygraph.tabular.xlsx_cell` of a text."""
    kept = xlsx_cell(value)
    assert isinstance(kept, str)
    return kept


def _finish(sheet: Worksheet, rows: int, ref: str) -> None:
    """The header frozen, filters on over ``ref``, and the status column's drop-down."""
    optional("openpyxl")
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = ref
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


def _details_sheet(book: Workbook, cut: Sequence[Action]) -> tuple[str, bytes]:
    """Every detail of the actions in ``cut``, one a row, beside the action's priority:
    the sheet's range, and its rows (:func:`~journeygraph.report.xlsx_rows.with_rows`)."""
    optional("openpyxl")
    from openpyxl.styles import Font

    from journeygraph.report.xlsx_rows import rows_xml

    sheet = book.create_sheet("details")
    sheet.append(["Priority", "Detail"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    rows: list[list[Cell]] = [[a.priority, _text(detail)] for a in cut for detail in a.details]
    ref = f"A1:B{len(rows) + 1}"
    sheet.column_dimensions["B"].width = 120
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = ref
    return ref, rows_xml(rows, [(0, 0)] * len(rows))


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
