"""Text output for people at a terminal, drawn with rich.

User text always goes in as :class:`rich.text.Text`, never as markup, so a
name like ``[bold]`` or ``[/]`` prints as written.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

from rich.console import Console, RenderableType
from rich.table import Table
from rich.text import Text

from journeygraph.algorithms import CoverageMatrix
from journeygraph.audit import AuditResult
from journeygraph.graph import DEPARTMENT, JOB_FUNCTION, STAGE
from journeygraph.model import Severity
from journeygraph.report.base import Formatter, OutputFormat
from journeygraph.report.scorecard import Portfolio

__all__ = ["SEVERITY_STYLE", "TextFormatter", "render_text", "summary_line"]

SEVERITY_STYLE = {
    Severity.HIGH: "bold red",
    Severity.MEDIUM: "yellow",
    Severity.LOW: "cyan",
    Severity.INFO: "dim",
}


def _value_text(value: object) -> Text:
    """One cell of a query result: lists joined, null dimmed, never markup."""
    if value is None:
        return Text("null", style="dim")
    if isinstance(value, list | tuple):
        return Text(", ".join(str(v) for v in value))
    return Text(str(value))


class TextFormatter(Formatter):
    """Tables for the terminal; ``color=False`` for files and pipes.

    Examples
    --------
    >>> from journeygraph.testing import tiny_map
    >>> import journeygraph
    >>> text = TextFormatter(width=100).audit([journeygraph.audit(tiny_map())])
    >>> "handoff-gap" in text and "1 high" in text
    True
    """

    format = OutputFormat.TEXT

    def __init__(self, *, color: bool = False, width: int = 120) -> None:
        self.color = color
        self.width = width

    def _render(self, *renderables: RenderableType) -> str:
        return render_text(*renderables, color=self.color, width=self.width)

    def audit(self, results: Sequence[AuditResult], *, portfolio: Portfolio | None = None) -> str:
        parts: list[RenderableType] = []
        for result in results:
            parts.extend(_journey_section(result))
        if portfolio is not None:
            parts.extend(_portfolio_section(portfolio))
        return self._render(*parts)

    def table(self, columns: Sequence[str], rows: Sequence[Mapping[str, Any]]) -> str:
        table = Table(
            *columns,
            caption=f"{len(rows)} row{'s' if len(rows) != 1 else ''}",
            caption_justify="left",
        )
        for row in rows:
            table.add_row(*(_value_text(row.get(c)) for c in columns))
        return self._render(table)

    def matrix(self, matrix: CoverageMatrix, *, journey: str) -> str:
        table = Table(title=Text(f"Coverage matrix: {journey}"), title_justify="left")
        table.add_column("Department")
        table.add_column("Function")
        for s in matrix.stages:
            table.add_column(Text(matrix.name(STAGE, s)), justify="center")
        previous: str | None = ""
        for row in matrix.rows:
            department = (
                "" if row.department == previous else matrix.name(DEPARTMENT, row.department)
            )
            if row.department is None and previous != row.department:
                department = "(none)"
            previous = row.department
            table.add_row(
                Text(department),
                Text(matrix.name(JOB_FUNCTION, row.function)),
                *(
                    Text(row.cells[s] or "·", style="" if row.cells[s] else "dim")
                    for s in matrix.stages
                ),
            )
        uncovered = set(matrix.uncovered)
        table.add_section()
        table.add_row(
            Text("Responsible owner", style="bold"),
            Text("✗ = none in this stage" if uncovered else "every stage has one", style="dim"),
            *(
                Text("✗", style="bold red") if s in uncovered else Text("✓", style="green")
                for s in matrix.stages
            ),
        )
        legend = Text("R Responsible · A Accountable · C Consulted · I Informed", style="dim")
        return self._render(table, legend)


def _journey_section(result: AuditResult) -> list[RenderableType]:
    title = Text(result.name, style="bold")
    title.append(f"  ({result.journey}", style="dim")
    title.append(f", {result.file})" if result.file else ")", style="dim")
    parts: list[RenderableType] = [title]
    if result.findings:
        parts.append(_findings_table(result))
    else:
        parts.append(Text("No findings.", style="green"))
    if result.waived:
        waived = Table(title=Text("Waived"), title_justify="left", show_edge=False)
        waived.add_column("Rule")
        waived.add_column("Entities")
        waived.add_column("Reason")
        for f in result.waived:
            waived.add_row(Text(f.rule), Text(" → ".join(f.entities)), Text(f.waiver or ""))
        parts.append(waived)
    for w in result.unused_waivers:
        where = f"{w.location}: " if w.location else ""
        parts.append(
            Text(
                f"{where}waiver for {w.rule} {list(w.entities)} matches no finding; "
                "remove it or correct its entities",
                style="yellow",
            )
        )
    parts.append(Text(summary_line([result])))
    return parts


def _portfolio_section(view: Portfolio) -> list[RenderableType]:
    parts: list[RenderableType] = [
        Text(f"Portfolio of {len(view.journeys)} journeys", style="bold")
    ]
    busiest = Table(
        title=Text("Busiest functions (R, all journeys)"),
        title_justify="left",
    )
    busiest.add_column("Function")
    busiest.add_column("Touchpoints", justify="right")
    busiest.add_column("Journeys", justify="right")
    shared = {s.function: len(s.responsible) for s in view.shared}
    for f, n in view.busiest:
        busiest.add_row(Text(view.names.get(f, f)), Text(str(n)), Text(str(shared.get(f, 1))))
    parts.append(busiest)
    idle = ", ".join(view.names.get(f, f) for f in view.idle_everywhere) or "none"
    parts.append(Text(f"Functions with no part in any journey: {idle}"))
    journeys = dict(view.journeys)
    uncovered = ", ".join(f"{journeys[j]} / {s}" for j, s in view.uncovered) or "none"
    parts.append(Text(f"Stages with no Responsible owner: {uncovered}"))
    return parts


def _findings_table(result: AuditResult) -> Table:
    table = Table(show_lines=False, expand=False)
    table.add_column("Severity", no_wrap=True)
    table.add_column("Rule", no_wrap=True)
    table.add_column("Line", justify="right", no_wrap=True)
    table.add_column("Finding", ratio=1)
    for f in result.findings:
        table.add_row(
            Text(f.severity.value, style=SEVERITY_STYLE[f.severity]),
            Text(f.rule),
            Text(str(f.location.line) if f.location else ""),
            Text(f.message),
        )
    return table


def render_text(*renderables: RenderableType, color: bool = False, width: int = 120) -> str:
    """Rich renderables as text, with terminal colours when ``color``; user text stays text.

    Examples
    --------
    >>> render_text(Text("[bold]x[/]"))
    '[bold]x[/]\\n'
    """
    out = io.StringIO()
    console = Console(
        file=out,
        force_terminal=color,
        no_color=not color,
        width=width,
        highlight=False,
        emoji=False,
        markup=False,
    )
    for renderable in renderables:
        console.print(renderable)
    return out.getvalue()


def summary_line(results: Sequence[AuditResult]) -> str:
    """``6 high, 4 medium, 2 low, 1 info (1 waived) in 1 journey``.

    Examples
    --------
    >>> summary_line([])
    'No findings in 0 journeys.'
    """
    counts = {s.value: 0 for s in sorted(Severity, reverse=True)}
    waived = 0
    for result in results:
        waived += len(result.waived)
        for severity, count in result.summary().items():
            counts[severity] += count
    journeys = f"{len(results)} journey{'s' if len(results) != 1 else ''}"
    extra = f" ({waived} waived)" if waived else ""
    if not any(counts.values()):
        return f"No findings in {journeys}{extra}."
    found = ", ".join(f"{n} {s}" for s, n in counts.items() if n)
    return f"{found}{extra} in {journeys}."
