"""The as-is and the to-be organisation side by side, as text, JSON or Markdown.

Every view reads the same rows (:func:`to_be_sections`): the figures come from
:func:`journeygraph.whatif.compare_to_be` and the scorecard, never recomputed here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text

from journeygraph.escape import json_text, percent
from journeygraph.escape import markdown as md
from journeygraph.report.scorecard import Scorecard, scorecard
from journeygraph.report.terminal import render_text, safe
from journeygraph.whatif import REPLAY_CAVEAT, Suggestion, ToBe

if TYPE_CHECKING:
    from journeygraph.algorithms import Capacity
    from journeygraph.model import JobFunction, Stage, Touchpoint
    from journeygraph.scenario.replay import Replay

__all__ = [
    "NONE_FOUND",
    "Section",
    "scenario_yaml",
    "suggestions_json",
    "suggestions_markdown",
    "suggestions_text",
    "to_be_json",
    "to_be_markdown",
    "to_be_sections",
    "to_be_text",
]


@dataclass(frozen=True)
class Section:
    """A titled table of the comparison, its cells plain text (each view escapes them)."""

    title: str
    columns: tuple[str, ...]
    rows: list[tuple[str, ...]]
    note: str = ""


def _scorecards(side: ToBe) -> tuple[Scorecard, Scorecard]:
    return (
        scorecard(side.as_is, side.diff.old),
        scorecard(side.to_be, side.diff.new),
    )


def _names(side: ToBe, ids: Sequence[str], kind: str) -> str:
    labels: dict[str, str] = {}
    for m in (side.to_be, side.as_is):
        entities: Sequence[Stage | Touchpoint | JobFunction] = (
            m.touchpoints if kind == "touchpoint" else m.stages if kind == "stage" else m.functions
        )
        labels.update({e.id: e.label for e in entities if e.id not in labels})
    return ", ".join(labels.get(i, i) for i in ids) or "none"


def _load(c: Capacity | None) -> str:
    if c is None:
        return "not in this map"
    work = f"{float(c.minutes):,.0f} min"
    if c.available is None:
        return f"{work} (no FTE given)"
    return f"{work} of {float(c.available):,.0f} ({c.load:.0%})"


def _share(part: int, whole: int) -> str:
    return f"{part:,} of {whole:,} ({percent(part, whole)})"


def _replay_rows(before: Replay, after: Replay) -> list[tuple[str, ...]]:
    def both(label: str, value: object, other: object) -> tuple[str, str, str]:
        return (label, str(value), str(other))

    return [
        both("customers", f"{before.customers:,}", f"{after.customers:,}"),
        both("changes of hands", f"{before.changes_of_hands:,}", f"{after.changes_of_hands:,}"),
        both("per customer: mean", f"{before.mean:.2f}", f"{after.mean:.2f}"),
        both("per customer: median", f"{before.median:g}", f"{after.median:g}"),
        both("per customer: p90", f"{before.p90:g}", f"{after.p90:g}"),
        both(
            "customers meeting an undeclared change of hands",
            _share(before.customers_undeclared, before.customers),
            _share(after.customers_undeclared, after.customers),
        ),
        both(
            "customers passing a handoff without an SLA",
            _share(before.customers_without_sla, before.customers),
            _share(after.customers_without_sla, after.customers),
        ),
        both(
            "handoff waits over their SLA",
            _share(before.waits_over_sla, before.timed_waits),
            _share(after.waits_over_sla, after.timed_waits),
        ),
    ]


def to_be_sections(side: ToBe) -> list[Section]:
    """The comparison's tables, in the order every view shows them.

    Examples
    --------
    >>> from journeygraph.scenario import Scenario, apply
    >>> from journeygraph.testing import tiny_map
    >>> from journeygraph.whatif import compare_to_be
    >>> s = Scenario.model_validate({"version": 1, "changes": [
    ...     {"add_handoff": {"from": "marketing", "to": "sales", "sla": "1d"}}]})
    >>> sections = to_be_sections(compare_to_be(tiny_map(), apply(tiny_map(), s)))
    >>> [s.title for s in sections]
    ['Findings', 'Scorecard', 'Coverage', 'Capacity (work a month against the FTE)']
    >>> sections[0].rows[:2]
    [('appeared', '0', ''), ('resolved', '1', 'high handoff-gap: ad -> shop')]
    """
    d = side.diff
    findings = Section(
        "Findings",
        ("", "count", "which"),
        [
            (
                "appeared",
                str(len(d.appeared)),
                "; ".join(_finding(finding) for finding in d.appeared),
            ),
            (
                "resolved",
                str(len(d.resolved)),
                "; ".join(_finding(finding) for finding in d.resolved),
            ),
            ("unchanged", str(len(side.unchanged)), ""),
        ],
    )
    scores = Section("Scorecard", ("", "as-is", "to-be"), _score_rows(side))
    before, after = side.coverage
    coverage = Section(
        "Coverage",
        ("", "as-is", "to-be"),
        [
            (
                "touchpoints without a Responsible",
                _names(side, before.without_responsible, "touchpoint"),
                _names(side, after.without_responsible, "touchpoint"),
            ),
            (
                "touchpoints without an Accountable",
                _names(side, before.without_accountable, "touchpoint"),
                _names(side, after.without_accountable, "touchpoint"),
            ),
            (
                "stages without a Responsible owner",
                _names(side, before.uncovered_stages, "stage"),
                _names(side, after.uncovered_stages, "stage"),
            ),
            (
                "single points of failure in the handoff network",
                _names(side, before.single_points_of_failure, "function"),
                _names(side, after.single_points_of_failure, "function"),
            ),
        ],
    )
    capacity = Section(
        "Capacity (work a month against the FTE)",
        ("function", "as-is", "to-be"),
        [
            (_names(side, [c.function], "function"), _load(c.before), _load(c.after))
            for c in side.capacity
            if _measured(c.before) or _measured(c.after)
        ],
    )
    sections = [findings, scores, coverage, capacity]
    if side.replay is not None:
        sections.append(
            Section(
                "On real paths", ("", "as-is", "to-be"), _replay_rows(*side.replay), REPLAY_CAVEAT
            )
        )
    return sections


def _score_rows(side: ToBe) -> list[tuple[str, ...]]:
    """The scorecard's figures, as-is and to-be."""
    card = _scorecards(side)
    score_rows: list[tuple[str, ...]] = [
        (f"{severity} findings", str(card[0].findings[severity]), str(card[1].findings[severity]))
        for severity in card[0].findings
    ]
    score_rows += [
        (
            "touchpoints with a Responsible",
            _share(card[0].with_responsible, card[0].touchpoints),
            _share(card[1].with_responsible, card[1].touchpoints),
        ),
        (
            "touchpoints with an Accountable",
            _share(card[0].with_accountable, card[0].touchpoints),
            _share(card[1].with_accountable, card[1].touchpoints),
        ),
        (
            "changes of hands a declared handoff covers",
            _share(card[0].covered_changes, card[0].changes_of_hands),
            _share(card[1].covered_changes, card[1].changes_of_hands),
        ),
        ("declared handoffs", str(card[0].declared_handoffs), str(card[1].declared_handoffs)),
    ]
    return score_rows


def _measured(c: Capacity | None) -> bool:
    return c is not None and (c.minutes > 0 or c.available is not None)


def _finding(finding: object) -> str:
    from journeygraph.rules import Finding

    assert isinstance(finding, Finding)
    return f"{finding.severity.value} {finding.rule}: {' -> '.join(finding.entities)}"


def to_be_text(side: ToBe, *, color: bool = False, width: int = 120) -> str:
    """The comparison as tables for a terminal."""
    parts: list[object] = [safe(f"{side.as_is.journey.label}: as-is and to-be", style="bold")]
    for section in to_be_sections(side):
        table = Table(title=Text(section.title), title_justify="left")
        for column in section.columns:
            table.add_column(column)
        for row in section.rows:
            table.add_row(*(safe(cell) for cell in row))
        parts.append(table)
        if section.note:
            parts.append(Text(section.note, style="dim"))
    return render_text(*parts, color=color, width=width)  # type: ignore[arg-type]


def to_be_markdown(side: ToBe) -> str:
    """The comparison as Markdown tables."""
    out = [f"## {md(side.as_is.journey.label)}: as-is and to-be", ""]
    for section in to_be_sections(side):
        out += [f"### {section.title}", ""]
        if section.note:
            out += [md(section.note), ""]
        out.append("| " + " | ".join(md(c) for c in section.columns) + " |")
        out.append("| " + " | ".join("---" for _ in section.columns) + " |")
        out += ["| " + " | ".join(md(c) for c in row) + " |" for row in section.rows]
        out.append("")
    return "\n".join(out)


def to_be_json(side: ToBe) -> str:
    """The comparison as JSON, with both scorecards."""
    card = _scorecards(side)
    data = {
        "journey": side.as_is.id,
        **side.to_dict(),
        "scorecard": {
            "as_is": _card(card[0]),
            "to_be": _card(card[1]),
        },
    }
    return json_text(data, indent=2) + "\n"


def _card(c: Scorecard) -> dict[str, object]:
    return {
        "findings": c.findings,
        "touchpoints": c.touchpoints,
        "with_responsible": c.with_responsible,
        "with_accountable": c.with_accountable,
        "changes_of_hands": c.changes_of_hands,
        "covered_changes": c.covered_changes,
        "declared_handoffs": c.declared_handoffs,
    }


def scenario_yaml(s: Suggestion) -> str:
    """The scenario file that applies a suggestion, as YAML.

    Examples
    --------
    >>> from journeygraph.testing import tiny_map
    >>> from journeygraph.whatif import suggest
    >>> print(scenario_yaml(suggest(tiny_map())[0]), end="")
    version: 1
    name: declare a handoff from marketing to sales
    changes:
    - add_handoff:
        from: marketing
        to: sales
    """
    from journeygraph.io.yaml import dump_yaml

    return dump_yaml(s.scenario.model_dump(mode="json", by_alias=True, exclude_defaults=True))


def _spared(s: Suggestion) -> str:
    return "" if s.customers_spared is None else f"{s.customers_spared:,}"


def _title(plan: bool) -> str:
    return (
        "A plan: each change the best on the map the ones before it leave"
        if plan
        else "Single changes that do the most good"
    )


NONE_FOUND = "No single change resolves a finding or spares a customer a change of hands."
"""What the suggestions say when there are none (rather than an empty table)."""


def suggestions_text(
    found: Sequence[Suggestion], *, plan: bool = False, color: bool = False, width: int = 120
) -> str:
    """The suggestions as a table, then the scenario file of each."""
    if not found:
        return render_text(Text(_title(plan), style="bold"), Text(NONE_FOUND), color=color)
    table = Table(title=Text(_title(plan)), title_justify="left")
    for column in ("#", "change", "high resolved", "resolved", "appeared", "customers spared"):
        table.add_column(column)
    for i, s in enumerate(found, 1):
        table.add_row(
            safe(i),
            safe(s.summary),
            safe(s.high_resolved),
            safe(len(s.resolved)),
            safe(len(s.appeared)),
            safe(_spared(s)),
        )
    parts: list[object] = [table]
    if any(s.customers_spared is not None for s in found):
        parts.append(Text(SPARED_NOTE, style="dim"))
    for i, s in enumerate(found, 1):
        parts += [Text(f"# {i}: scenario.yaml", style="bold"), safe(scenario_yaml(s).rstrip("\n"))]
    return render_text(*parts, color=color, width=width)  # type: ignore[arg-type]


def suggestions_markdown(found: Sequence[Suggestion], *, plan: bool = False) -> str:
    """The suggestions as a Markdown table, each with its scenario in JSON (YAML reads it)."""
    if not found:
        return f"### {_title(plan)}\n\n{NONE_FOUND}\n"
    out = [
        f"### {_title(plan)}",
        "",
        "| # | Change | High resolved | Resolved | Appeared | Customers spared | Scenario |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for i, s in enumerate(found, 1):
        scenario = json_text(
            s.scenario.model_dump(mode="json", by_alias=True, exclude_defaults=True)
        )
        out.append(
            f"| {i} | {md(s.summary)} | {s.high_resolved} | {len(s.resolved)} | "
            f"{len(s.appeared)} | {_spared(s)} | {md(scenario)} |"
        )
    if any(s.customers_spared is not None for s in found):
        out += ["", md(SPARED_NOTE)]
    return "\n".join(out) + "\n"


def suggestions_json(found: Sequence[Suggestion], *, plan: bool = False) -> str:
    """The suggestions as JSON (under ``plan`` for the steps of a plan)."""
    key = "plan" if plan else "suggestions"
    return json_text({key: [s.to_dict() for s in found]}, indent=2) + "\n"


SPARED_NOTE = (
    "Customers spared: customers of the log who would no longer meet an undeclared change of "
    "hands on the paths they took. " + REPLAY_CAVEAT
)
