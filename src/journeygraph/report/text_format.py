"""Text output for people at a terminal, drawn with rich.

User text always goes in as :class:`rich.text.Text`, never as markup, so a
name like ``[bold]`` or ``[/]`` prints as written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from journeygraph.escape import count, duration, percent, printable
from journeygraph.report.audit_output import summary_line
from journeygraph.report.base import Formatter, OutputFormat
from journeygraph.report.terminal import SEVERITY_STYLE, render_text, safe

if TYPE_CHECKING:
    from journeygraph.actions import Action
    from journeygraph.algorithms import CoverageMatrix
    from journeygraph.audit import AuditResult
    from journeygraph.diff import MapDiff
    from journeygraph.evidence import Evidence, ObservedFlow
    from journeygraph.evidence.conformance.comparison import Performed
    from journeygraph.evidence.statistics.throughput import Conversion, Fitness
    from journeygraph.model import JourneyMap
    from journeygraph.report.scorecard import Portfolio
    from journeygraph.whatif import Dependence, Suggestion, ToBe, WhatIf

__all__ = ["SEVERITY_STYLE", "TextFormatter", "duration", "render_text", "summary_line"]

# `duration` is worded once, in `journeygraph.escape`; it stays importable from here.

TOP = 15
"""Rows shown in each ranked table of the text output (JSON and CSV have all)."""


def _value_text(value: object) -> Text:
    """One cell of a query result: lists joined, null dimmed, never markup."""
    if value is None:
        return safe("null", style="dim")
    if isinstance(value, list | tuple):
        return safe(", ".join(str(v) for v in value))
    return safe(str(value))


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

    def evidence(self, flow: ObservedFlow, evidence: Evidence | None = None) -> str:
        return self._render(*_evidence_parts(flow, evidence))

    def diff(self, d: MapDiff) -> str:
        from journeygraph.report.diff_format import diff_text

        return diff_text(d, color=self.color, width=self.width)

    def whatif(self, m: JourneyMap, effect: WhatIf) -> str:
        from journeygraph.report.whatif_format import whatif_text

        return whatif_text(m, effect)

    def dependence(self, m: JourneyMap, ranking: Sequence[Dependence]) -> str:
        from journeygraph.report.whatif_format import dependence_text

        return dependence_text(m, ranking, color=self.color, width=self.width)

    def to_be(self, side: ToBe) -> str:
        from journeygraph.report.to_be_format import to_be_text

        return to_be_text(side, color=self.color, width=self.width)

    def suggestions(self, found: Sequence[Suggestion], *, plan: bool = False) -> str:
        from journeygraph.report.to_be_format import suggestions_text

        return suggestions_text(found, color=self.color, width=self.width, plan=plan)

    def actions(self, plan: Sequence[Action]) -> str:
        from journeygraph.report.actions_format import actions_text

        return actions_text(plan, color=self.color, width=self.width)

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
        from journeygraph.graph import DEPARTMENT, JOB_FUNCTION, STAGE

        table = Table(title=safe(f"Coverage matrix: {journey}"), title_justify="left")
        table.add_column("Department")
        table.add_column("Function")
        for s in matrix.stages:
            table.add_column(safe(matrix.name(STAGE, s)), justify="center")
        previous: str | None = ""
        for row in matrix.rows:
            department = (
                "" if row.department == previous else matrix.name(DEPARTMENT, row.department)
            )
            if row.department is None and previous != row.department:
                department = "(none)"
            previous = row.department
            table.add_row(
                safe(department),
                safe(matrix.name(JOB_FUNCTION, row.function)),
                *(
                    safe(row.cells[s] or "·", style="" if row.cells[s] else "dim")
                    for s in matrix.stages
                ),
            )
        uncovered = set(matrix.uncovered)
        table.add_section()
        table.add_row(
            safe("Responsible owner", style="bold"),
            safe("✗ = none in this stage" if uncovered else "every stage has one", style="dim"),
            *(
                safe("✗", style="bold red") if s in uncovered else safe("✓", style="green")
                for s in matrix.stages
            ),
        )
        legend = safe("R Responsible · A Accountable · C Consulted · I Informed", style="dim")
        return self._render(table, legend)


def _journey_section(result: AuditResult) -> list[RenderableType]:
    # A heading on one line, whatever line breaks the journey's name holds.
    title = Text(printable(result.name, one_line=True), style="bold")
    title.append(f"  ({printable(result.journey, one_line=True)}", style="dim")
    title.append(f", {printable(result.file, one_line=True)})" if result.file else ")", style="dim")
    parts: list[RenderableType] = [title]
    if result.findings:
        parts.append(_findings_table(result))
    else:
        parts.append(safe("No findings.", style="green"))
    if result.waived:
        waived = Table(title=safe("Waived"), title_justify="left", show_edge=False)
        waived.add_column("Rule")
        waived.add_column("Entities")
        waived.add_column("Reason")
        for finding in result.waived:
            waived.add_row(
                safe(finding.rule), safe(" → ".join(finding.entities)), safe(finding.waiver or "")
            )
        parts.append(waived)
    for w in result.unused_waivers:
        where = f"{w.location}: " if w.location else ""
        parts.append(
            safe(
                f"{where}waiver for {w.rule} {list(w.entities)} matches no finding; "
                "remove it or correct its entities",
                style="yellow",
            )
        )
    parts.append(safe(summary_line([result])))
    return parts


def _portfolio_section(view: Portfolio) -> list[RenderableType]:
    parts: list[RenderableType] = [
        safe(f"Portfolio of {len(view.journeys)} journeys", style="bold")
    ]
    busiest = Table(
        title=safe("Busiest functions (R, all journeys)"),
        title_justify="left",
    )
    busiest.add_column("Function")
    busiest.add_column("Touchpoints", justify="right")
    busiest.add_column("Journeys", justify="right")
    shared = {s.function: len(s.responsible) for s in view.shared}
    for function, n in view.busiest:
        busiest.add_row(
            safe(view.names.get(function, function)),
            safe(str(n)),
            safe(str(shared.get(function, 1))),
        )
    parts.append(busiest)
    idle = (
        ", ".join(view.names.get(function, function) for function in view.idle_everywhere) or "none"
    )
    parts.append(safe(f"Functions with no part in any journey: {idle}"))
    journeys = dict(view.journeys)
    uncovered = ", ".join(f"{journeys[j]} / {s}" for j, s in view.uncovered) or "none"
    parts.append(safe(f"Stages with no Responsible owner: {uncovered}"))
    return parts


def _findings_table(result: AuditResult) -> Table:
    table = Table(show_lines=False, expand=False)
    table.add_column("Severity", no_wrap=True)
    table.add_column("Rule", no_wrap=True)
    table.add_column("Line", justify="right", no_wrap=True)
    table.add_column("Finding", ratio=1)
    for finding in result.findings:
        table.add_row(
            safe(finding.severity.value, style=SEVERITY_STYLE[finding.severity]),
            safe(finding.rule),
            safe(str(finding.location.line) if finding.location else ""),
            safe(finding.message),
        )
    return table


def _evidence_parts(flow: ObservedFlow, evidence: Evidence | None) -> list[RenderableType]:
    parts = _log_parts(flow)
    if evidence is None:
        return parts + _flow_tables(flow)
    conformance = evidence.conformance
    parts.append(
        _conformance_table(conformance)
        if conformance.findings
        else safe("The log conforms to the map.", style="green")
    )
    if evidence.audit.findings:
        parts.append(_weighted_table(evidence))
    parts += _handoff_parts(evidence, flow.cases)
    parts += _work_parts(evidence)
    parts += _journey_parts(evidence)
    parts.append(_expected_table(evidence))
    parts.append(safe(summary_line([conformance]).replace("in 1 journey", "against the log")))
    return parts


def _table(title: str, columns: Sequence[str], *, right: Sequence[str] = ()) -> Table:
    """A titled table whose ``right`` columns (numbers) are right-aligned."""
    table = Table(title=safe(title), title_justify="left")
    for column in columns:
        table.add_column(column, justify="right" if column in right else "left")
    return table


def _log_parts(flow: ObservedFlow) -> list[RenderableType]:
    log = flow.log
    head = safe(f"{log.file}: ", style="bold")
    head.append(
        f"{flow.cases} customers, {flow.events} events, {len(flow.touchpoints)} touchpoints, "
        f"{len(flow.transitions)} distinct transitions"
    )
    parts: list[RenderableType] = [head]
    if log.segment:
        outside_events, outside_cases = log.outside
        parts.append(
            safe(
                f"Segment: {log.segment.describe()}; {outside_cases} customers "
                f"({outside_events} events) left outside it.",
                style="cyan",
            )
        )
    if log.bad_rows:
        reasons = ", ".join(f"{n} {reason}" for reason, n in log.bad.items())
        parts.append(
            safe(f"{count(log.bad_rows, 'row')} left out ({reasons}); for example:", style="yellow")
        )
        parts += [safe(f"  {b}", style="yellow") for b in log.examples[:5]]
    return parts


def _conformance_table(conformance: AuditResult) -> Table:
    table = _table(
        "The map against the log", ("Severity", "Check", "Line", "Finding"), right=("Line",)
    )
    for finding in conformance.findings:
        table.add_row(
            safe(finding.severity.value, style=SEVERITY_STYLE[finding.severity]),
            safe(finding.rule),
            safe(str(finding.location.line) if finding.location else ""),
            safe(finding.message),
        )
    return table


def _weighted_table(evidence: Evidence) -> Table:
    weighted = _table(
        "Audit findings by customers touched",
        ("Customers", "Share", "Severity", "Rule", "Finding"),
        right=("Customers", "Share"),
    )
    for finding in evidence.audit.findings[:TOP]:
        weighted.add_row(
            safe(str(finding.details["customers"])),
            safe(f"{finding.details['share']:.0%}"),
            safe(finding.severity.value, style=SEVERITY_STYLE[finding.severity]),
            safe(finding.rule),
            safe(finding.message),
        )
    return weighted


def _handoff_parts(evidence: Evidence, cases: int) -> list[RenderableType]:
    h = evidence.handoffs
    parts: list[RenderableType] = [
        safe("Handoffs in practice", style="bold"),
        safe(
            f"Changes of hands per customer: median {h.median:g}, 90th percentile {h.p90:g}, "
            f"mean {h.mean:.1f}; {h.customers_handed} of {cases} customers were handed on."
        ),
    ]
    if h.slowest:
        slow = _table(
            "Slowest handoffs (median time across the step)",
            ("From", "To", "Customers", "Median", "90th pct"),
            right=("Customers", "Median", "90th pct"),
        )
        for row in h.slowest:
            slow.add_row(
                safe(_at(evidence, row.from_touchpoint, row.from_functions)),
                safe(_at(evidence, row.to_touchpoint, row.to_functions)),
                safe(str(row.customers)),
                safe(duration(row.median_seconds)),
                safe(duration(row.p90_seconds)),
            )
        parts.append(slow)
    if h.network:
        network = _table(
            "Handoff network, by customers",
            ("From function", "To function", "Customers", "Steps", "Declared"),
            right=("Customers", "Steps"),
        )
        for hand in h.network[:TOP]:
            network.add_row(
                safe(evidence.name("function", hand.giver)),
                safe(evidence.name("function", hand.taker)),
                safe(str(hand.customers)),
                safe(str(hand.steps)),
                safe("yes", style="green") if hand.declared else safe("no", style="red"),
            )
        parts.append(network)
    return parts


def _at(evidence: Evidence, touchpoint: str, functions: Sequence[str]) -> str:
    """``Basket (E-commerce manager)``: a touchpoint and its Responsible, by name."""
    who = ", ".join(evidence.name("function", function) for function in functions)
    return f"{evidence.name('touchpoint', touchpoint)} ({who})"


WORK_STATUS_STYLE = {"declared": "green", "undeclared": "red", "unmapped": "dim"}
"""How each kind of handover of work is shown."""


def _work_parts(evidence: Evidence) -> list[RenderableType]:
    """Who does the work against the RACI, and who hands it to whom."""
    parts: list[RenderableType] = []
    if evidence.performed:
        who = _table(
            "Who does the work: the Responsible against the log's performers",
            ("Touchpoint", "Responsible", "Share done by them", "Performed by (share)"),
            right=("Share done by them",),
        )
        for row in evidence.performed:
            who.add_row(
                safe(evidence.name("touchpoint", row.touchpoint)),
                safe(
                    ", ".join(evidence.name("function", function) for function in row.responsible)
                    or "none"
                ),
                safe(
                    percent(row.by_responsible, row.events),
                    style="green" if row.share >= 0.5 else "red",
                ),
                safe(performed_text(evidence, row, _PERFORMERS_SHOWN)),
            )
        parts.append(who)
    work = evidence.handoffs.work
    if work:
        table = _table(
            "Handover of work in the log, by customers",
            ("From", "To", "Customers", "Steps", "Handoff"),
            right=("Customers", "Steps"),
        )
        for hand in work[:TOP]:
            status = hand.status
            if status == "undeclared" and hand.undeclared_steps < hand.steps:
                status = f"undeclared ({hand.undeclared_steps} steps)"
            table.add_row(
                safe(evidence.name("function", hand.giver)),
                safe(evidence.name("function", hand.taker)),
                safe(str(hand.customers)),
                safe(str(hand.steps)),
                safe(status, style=WORK_STATUS_STYLE[hand.status]),
            )
        parts.append(table)
        if len(work) > TOP:
            parts.append(safe(f"(top {TOP} of {len(work)}; --format json or csv for all)"))
    return parts


def fitness_sentence(fit: Fitness) -> str:
    """How many customers the map describes, and why the others do not fit, in a sentence."""
    return (
        f"{fit.fitting:,} of {fit.customers:,} customers ({percent(fit.fitting, fit.customers)}) "
        f"followed the map from an entry to an exit; {fit.not_from_entry:,} started elsewhere, "
        f"{fit.off_map:,} took a step the map does not have, {fit.not_at_exit:,} ended before "
        "an exit."
    )


def onward_text(c: Conversion | None) -> str:
    """``4,559 (>99%)``: customers who went on to the next stage, and their share."""
    return c.onward if c is not None else ""


def performed_text(evidence: Evidence, row: Performed, most: int | None = None) -> str:
    """``Second-line support (47%), First-line support (53%)``: who did a touchpoint's events."""
    shown = row.performers if most is None else row.performers[:most]
    named = ", ".join(
        f"{evidence.name('function', who)} ({percent(n, row.events)})" for who, n in shown
    )
    rest = len(row.performers) - len(shown)
    return named + (f" and {rest} more" if rest > 0 else "")


def _journey_parts(evidence: Evidence) -> list[RenderableType]:
    """How many customers the map describes, the paths they take, how long they wait."""
    flow, figures = evidence.flow, evidence.journey
    fit = figures.fitness
    parts: list[RenderableType] = [
        safe("The journey customers took", style="bold"),
        safe(fitness_sentence(fit)),
    ]
    parts += _variant_parts(flow, lambda t: evidence.name("touchpoint", t))
    if figures.stages:
        conversion = {c.from_stage: c for c in figures.conversion}
        stages = _table(
            "Stages: time spent (to each next event) and conversion to the next",
            ("Stage", "Customers", "Median time", "90th pct", "On to next stage"),
            right=("Customers", "Median time", "90th pct", "On to next stage"),
        )
        for s in figures.stages:
            onward = conversion.get(s.stage)
            stages.add_row(
                safe(evidence.name("stage", s.stage)),
                safe(str(s.customers)),
                safe(duration(s.median_seconds)),
                safe(duration(s.p90_seconds)),
                safe(onward_text(onward)),
            )
        parts.append(stages)
    return parts


_VARIANTS_SHOWN = 5
"""Variants listed in text; JSON and CSV keep `VARIANTS_KEPT`."""


def _variant_parts(flow: ObservedFlow, name: Any = str) -> list[RenderableType]:
    """End-to-end time and the most frequent paths."""
    end = flow.end_to_end
    parts: list[RenderableType] = [
        safe(
            f"End to end, first event to last: median {duration(end.median_seconds)}, "
            f"90th percentile {duration(end.p90_seconds)} ({end.customers} customers)."
        )
    ]
    if flow.variants:
        table = _table(
            f"Most frequent paths ({flow.distinct_variants} different)",
            ("Customers", "Share", "Path"),
            right=("Customers", "Share"),
        )
        for v in flow.variants[:_VARIANTS_SHOWN]:
            table.add_row(
                safe(str(v.customers)),
                safe(percent(v.customers, flow.cases)),
                safe(" → ".join(name(t) for t in v.path)),
            )
        parts.append(table)
    return parts


def _expected_table(evidence: Evidence) -> Table:
    expected = _table(
        "Expected per customer",
        ("From", "Steps", "Changes of hands", "Steps back round a loop"),
        right=("Steps", "Changes of hands", "Steps back round a loop"),
    )
    for source, e in evidence.expected.items():
        expected.add_row(
            safe(evidence.expected_from[source]),
            safe(f"{e.steps:.2f}"),
            safe(f"{e.changes_of_hands:.2f}"),
            safe(f"{e.loop_steps:.2f}"),
        )
    return expected


def _flow_tables(flow: ObservedFlow) -> list[RenderableType]:
    touchpoints = Table(title=safe("Touchpoints, by events"), title_justify="left")
    for column in ("Touchpoint", "Events", "Customers", "Starts", "Ends", "Came back"):
        touchpoints.add_column(column, justify="left" if column == "Touchpoint" else "right")
    for tp, s in list(flow.touchpoints.items())[:TOP]:
        touchpoints.add_row(
            safe(tp),
            *(safe(str(v)) for v in (s.events, s.customers, s.starts, s.ends, s.repeat_customers)),
        )
    transitions = Table(title=safe("Transitions, by count"), title_justify="left")
    for column in ("From", "To", "Count", "Customers", "Median", "90th pct"):
        transitions.add_column(column, justify="left" if column in ("From", "To") else "right")
    for (a, b), step in list(flow.transitions.items())[:TOP]:
        transitions.add_row(
            safe(a),
            safe(b),
            safe(str(step.transitions)),
            safe(str(step.customers)),
            safe(duration(step.median_seconds)),
            safe(duration(step.p90_seconds)),
        )
    more = max(len(flow.touchpoints), len(flow.transitions)) > TOP
    note = [safe(f"(top {TOP}; --format json or csv for all)", style="dim")] if more else []
    return [touchpoints, transitions, *_performer_table(flow), *note, *_variant_parts(flow)]


_PERFORMERS_SHOWN = 3
"""Performers named per touchpoint in text; JSON and CSV list them all."""


def _performer_table(flow: ObservedFlow) -> list[RenderableType]:
    """Who performed each touchpoint, when the log says who did what."""
    if not flow.performers:
        return []
    table = Table(title=safe("Who performed each touchpoint"), title_justify="left")
    for column in ("Touchpoint", "Performers (share of its events)", "Others"):
        table.add_column(column)
    for tp in list(flow.touchpoints)[:TOP]:
        done = flow.performers.get(tp, [])
        total = flow.touchpoints[tp].events
        named = ", ".join(f"{who} ({n / total:.0%})" for who, n in done[:_PERFORMERS_SHOWN])
        rest = len(done) - _PERFORMERS_SHOWN
        table.add_row(safe(tp), safe(named or "not said"), safe(str(rest) if rest > 0 else ""))
    return [table]
