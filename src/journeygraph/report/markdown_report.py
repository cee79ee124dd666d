"""The report in Markdown, with its diagrams as SVG files beside it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from journeygraph.algorithms import CoverageMatrix
from journeygraph.escape import count
from journeygraph.escape import markdown as md
from journeygraph.graph import DEPARTMENT, JOB_FUNCTION, STAGE
from journeygraph.report.diagrams import DiagramPart
from journeygraph.report.scorecard import Portfolio
from journeygraph.report.text_format import (
    TOP,
)
from journeygraph.report.view import EvidenceView, JourneyPart, Report, ToBePart, file_stems
from journeygraph.report.wording import client_words, rule_title

if TYPE_CHECKING:
    from journeygraph.evidence import Evidence

__all__ = ["markdown_report"]


def markdown_report(report: Report, *, image: str = "{journey}-{view}.svg") -> str:
    """The report in Markdown, pointing at SVG files named by ``image``."""
    out = [
        f"# {md(report.title)}",
        "",
        f"{md(report.byline)}.",
        "",
    ]
    if report.portfolio is not None:
        out += _portfolio_markdown(report.portfolio)
    stems = file_stems([j.card.journey for j in report.journeys])
    if report.full:
        for j, stem in zip(report.journeys, stems, strict=True):
            out += _journey_markdown(j, stem, image)
    else:
        for j, stem in zip(report.journeys, stems, strict=True):
            out += _body_markdown(j, stem, image)
        out += ["## Appendix", ""]
        for j, stem in zip(report.journeys, stems, strict=True):
            out += _appendix_markdown(j, stem, image, several=len(report.journeys) > 1)
    out += _findings_markdown(report)
    return "\n".join(out)


def _body_markdown(j: JourneyPart, stem: str, image: str) -> list[str]:
    """A journey in the body: summary, scorecard, top actions, canvas, key diagrams."""
    out = [f"## {md(j.card.name)}", ""]
    out += _summary_markdown(j, plan=False)
    out += ["### Scorecard", "", *_card_markdown(j)]
    if j.actions:
        from journeygraph.report.actions_format import actions_markdown

        more = len(j.actions) > len(j.top_actions)
        out += ["### The top ten actions" if more else "### Action plan", ""]
        out += [actions_markdown(j.top_actions)]
        if more:
            out += [f"The full plan, {len(j.actions)} actions, is in the appendix.", ""]
    if j.canvas:
        out += [
            "### Journey canvas",
            "",
            f"![Journey canvas]({image.format(journey=stem, view='canvas')})",
            "",
        ]
    for d in j.key_diagrams:
        out += _diagram_markdown(d, image.format(journey=stem, view=d.view))
        if d.view == "matrix":
            out += ["### Coverage matrix", "", _matrix_markdown(j.matrix), ""]
    return out


def _appendix_markdown(j: JourneyPart, stem: str, image: str, *, several: bool) -> list[str]:
    """A journey in the appendix: the full plan, the other diagrams, the rest."""
    out = [f"### {md(j.card.name)}", ""] if several else []
    if len(j.actions) > len(j.top_actions):
        from journeygraph.report.actions_format import actions_markdown

        out += ["### Action plan", "", actions_markdown(j.actions)]
    if j.description:
        out += [md(j.description), ""]
    for d in j.other_diagrams:
        out += _diagram_markdown(d, image.format(journey=stem, view=d.view))
    out += _customer_markdown(j, image.format(journey=stem, view="emotion"))
    return out + _rest_markdown(j)


def _card_markdown(j: JourneyPart) -> list[str]:
    """The scorecard as a table of figures."""
    card = j.card
    return [
        "| Figure | Value |",
        "| --- | --- |",
        *(f"| Findings, {s} | {n} |" for s, n in card.finding_counts()),
        f"| Touchpoints with a Responsible | {card.with_responsible} of {card.touchpoints} |",
        f"| Touchpoints with an Accountable | {card.with_accountable} of {card.touchpoints} |",
        f"| Changes of hands covered by a declared handoff | {card.covered_changes} of "
        f"{card.changes_of_hands}"
        + (f" ({card.waived_changes} gaps waived)" if card.waived_changes else "")
        + " |",
        f"| Function pairs that need a handoff with one declared | {card.covered_pairs} of "
        f"{card.needed_pairs} ({card.unused_handoffs} declared handoffs unused) |",
        f"| Stages with no Responsible owner | {len(card.uncovered_stages)} |",
        "",
    ]


def _journey_markdown(j: JourneyPart, stem: str, image: str) -> list[str]:
    """A journey in the long form (``--full``): every part in turn."""
    out = [f"## {md(j.card.name)}", ""]
    out += _summary_markdown(j)
    if j.description:
        out += [md(j.description), ""]
    out += _card_markdown(j)
    for d in j.diagrams:
        out += _diagram_markdown(d, image.format(journey=stem, view=d.view))
    out += _customer_markdown(j, image.format(journey=stem, view="emotion"))
    out += ["### Coverage matrix", "", _matrix_markdown(j.matrix), ""]
    return out + _rest_markdown(j)


def _rest_markdown(j: JourneyPart) -> list[str]:
    """What customers did, the changes since the previous version, and the to-be."""
    out: list[str] = []
    if j.evidence is not None and j.observed is not None:
        out += _evidence_markdown(j.evidence, j.observed)
    if j.diff is not None:
        from journeygraph.report.diff_format import diff_markdown

        out += [
            diff_markdown(j.diff, described=j.changes)
            .replace("## Journey map changes", "### Changes since the previous version", 1)
            .replace("\n### ", "\n#### "),
            "",
        ]
    if j.to_be is not None:
        out += _to_be_markdown(j.to_be)
    return out


def _findings_markdown(report: Report) -> list[str]:
    """Every finding, by rule, and the waived ones."""
    out = ["## Findings", ""]
    for group in report.groups:
        out += [
            f"### {rule_title(group.rule.id)} ({len(group.findings)})",
            "",
            md(client_words(group.rule.summary)),
            "",
            f"**Why it matters.** {md(client_words(group.rule.rationale))}",
            "",
            f"**What to do.** {md(client_words(group.rule.advice))}",
            "",
            "| Severity | Journey | Finding |",
            "| --- | --- | --- |",
        ]
        # A journey's name, escaped once for its tens of thousands of findings.
        journeys: dict[str, str] = {}
        for journey, finding in group.findings:
            name = journeys.get(journey)
            if name is None:
                name = journeys[journey] = md(journey)
            out.append(f"| {finding.severity.value} | {name} | {md(finding.message)} |")
        out.append("")
    if report.waived:
        out += ["### Waived", "", "| Rule | Finding | Reason |", "| --- | --- | --- |"]
        out += [
            f"| {rule_title(finding.rule)} | {md(finding.message)} | {md(finding.waiver or '')} |"
            for _, finding in report.waived
        ]
        out.append("")
    return out


def _summary_markdown(j: JourneyPart, *, plan: bool = True) -> list[str]:
    """The executive summary and, with ``plan``, the action plan (in the long form)."""
    if j.summary is None:
        return []
    from journeygraph.report.actions_format import actions_markdown

    out = ["### Executive summary", "", md(j.summary.paragraph), ""]
    if j.actions:
        out += ["**What to do first**", ""]
        out += [
            f"{i}. {md(a.title)} (owner: {md(a.owner)}"
            + (f"; {a.reach_text}" if a.reach is not None else "")
            + ")"
            for i, a in enumerate(j.actions[:3], start=1)
        ]
        out.append("")
    if j.summary.top:
        out += ["**The findings that matter most**", ""]
        out += [
            f"{i}. {finding.severity.value}: {md(finding.message)}"
            for i, finding in enumerate(j.summary.top, start=1)
        ]
        out.append("")
    if j.summary.change:
        out += [md(j.summary.change), ""]
    if plan and j.actions:
        out += ["### Action plan", "", actions_markdown(j.actions)]
    return out


def _diagram_markdown(d: DiagramPart, name: str) -> list[str]:
    """A diagram in Markdown: its title, note, image, and key (an image or a table)."""
    out = [f"### {md(d.title)}", ""]
    if d.note:
        out += [f"*{md(d.note)}*", ""]
    out += [f"![{md(d.title)}]({name})", ""]
    if d.key is not None:
        before, view, after = name.rpartition(d.view)
        key = f"{before}{view}-key{after}"
        out += [f"![Key to the {md(d.title[0].lower() + d.title[1:])}]({key})", ""]
    if d.changes:
        out += [
            "| # | Step | Hands | Handoff |",
            "|---:|---|---|---|",
            *(
                f"| {r.number} | {md(r.giving)} → {md(r.taking)} | {md(r.giver)} → "
                f"{md(r.taker)} | {md(r.status)} |"
                for r in d.changes
            ),
            "",
        ]
    return out


def _customer_markdown(j: JourneyPart, image: str) -> list[str]:
    """Personas, the emotion curve, and each stage's pain points and opportunities."""
    out: list[str] = []
    if j.personas or j.emotion:
        out += ["### How the journey feels", ""]
        for name, description, goals in j.personas:
            line = f"- **{md(name)}**" + (f": {md(description)}" if description else "")
            out.append(line + (f" Goals: {md('; '.join(goals))}." if goals else ""))
        if j.emotion:
            out += ["", f"![Emotion curve]({image})"]
        out.append("")
    for st in j.stages:
        if not st.pain_points and not st.opportunities:
            continue
        out += [f"#### {md(st.name)}: pain points and opportunities", ""]
        out += [
            f"- {md(p.touchpoint)} ({md(p.who)}): “{md(p.text)}”"
            + ("" if p.addressed else " *(no opportunity)*")
            for p in st.pain_points
        ]
        if st.opportunities:
            out += ["", "| Opportunity | Owner | Status | Priority | Touchpoints |"]
            out += ["| --- | --- | --- | --- | --- |"]
            out += [
                f"| {md(o.name)} | {md(o.owner)} | {o.status} | {o.priority or ''} | "
                f"{md(', '.join(o.touchpoints))} |"
                for o in st.opportunities
            ]
        out.append("")
    return out


def _evidence_markdown(evidence: Evidence, view: EvidenceView) -> list[str]:
    flow = evidence.flow
    h = evidence.handoffs
    out = [
        "### What customers did",
        "",
        f"{flow.cases:,} customers and {flow.events:,} events in {md(Path(flow.log.file).name)}"
        + (f" ({count(flow.log.bad_rows, 'row')} left out)." if flow.log.bad_rows else "."),
        "",
        "| Severity | Check | Finding |",
        "| --- | --- | --- |",
        *(
            f"| {finding.severity.value} | {rule_title(finding.rule)} | {md(finding.message)} |"
            for finding in evidence.conformance.findings
        ),
        "",
        "| Customers | Share | Severity | Rule | Finding |",
        "| --- | --- | --- | --- | --- |",
        *(
            f"| {finding.details['customers']} | {finding.details['share']:.0%} | "
            f"{finding.severity.value} | {rule_title(finding.rule)} | {md(finding.message)} |"
            for finding in evidence.audit.findings[:TOP]
        ),
        "",
        f"Changes of hands per customer: median {h.median:g}, 90th percentile {h.p90:g}, "
        f"mean {h.mean:.1f}.",
        "",
        *_observed_markdown(view),
        "| Expected per customer, from | Steps | Changes of hands | Steps back round a loop |",
        "| --- | --- | --- | --- |",
        *(
            f"| {md(evidence.expected_from[source])} | {e.steps:.2f} | "
            f"{e.changes_of_hands:.2f} | {e.loop_steps:.2f} |"
            for source, e in evidence.expected.items()
        ),
        "",
    ]
    return out


def _observed_markdown(view: EvidenceView) -> list[str]:
    """Who does the work, handovers of work, paths and times, as Markdown."""
    out: list[str] = []
    if view.performed:
        out += [
            "#### Who does the work",
            "",
            "| Touchpoint | Responsible | Share they performed | Performed by |",
            "| --- | --- | --- | --- |",
            *(f"| {md(a)} | {md(b)} | {c} | {md(d)} |" for a, b, c, d in view.performed),
            "",
        ]
    if view.work:
        out += [
            "#### Handover of work in the log",
            "",
            "| From | To | Customers | Steps | Handoff |",
            "| --- | --- | --- | --- | --- |",
            *(f"| {md(a)} | {md(b)} | {n:,} | {s:,} | {st} |" for a, b, n, s, st in view.work),
            "",
        ]
    out += ["#### The journey customers took", "", view.fitness, "", view.end_to_end, ""]
    if view.variants:
        out += [
            f"| Customers | Share | Path (of {view.distinct_variants:,} different) |",
            "| --- | --- | --- |",
            *(f"| {n:,} | {share} | {md(path)} |" for n, share, path in view.variants),
            "",
        ]
    if view.stages:
        out += [
            "| Stage | Customers | Median time | 90th percentile | On to the next stage |",
            "| --- | --- | --- | --- | --- |",
            *(f"| {md(s)} | {n:,} | {a} | {b} | {c} |" for s, n, a, b, c in view.stages),
            "",
        ]
    return out


def _matrix_markdown(matrix: CoverageMatrix) -> str:
    head = ["Department", "Function", *(matrix.name(STAGE, s) for s in matrix.stages)]
    lines = ["| " + " | ".join(md(h) for h in head) + " |", "|" + " --- |" * len(head)]
    for row in matrix.rows:
        cells = [
            matrix.name(DEPARTMENT, row.department),
            matrix.name(JOB_FUNCTION, row.function),
            *(row.text(s) for s in matrix.stages),
        ]
        lines.append("| " + " | ".join(md(c) for c in cells) + " |")
    uncovered, empty = set(matrix.uncovered), set(matrix.empty)
    lines.append(
        "| **Responsible owner** | | "
        + " | ".join(
            "empty stage" if s in empty else "**none**" if s in uncovered else "✓"
            for s in matrix.stages
        )
        + " |"
    )
    accountable = []
    for s in matrix.stages:
        none, several = matrix.accountable.get(s, (0, 0))
        said = [f"{none} without" if none else "", f"{several} with several" if several else ""]
        shown = ", ".join(x for x in said if x)
        accountable.append("empty stage" if s in empty else f"**{shown}**" if shown else "✓")
    lines.append("| **One Accountable each** | | " + " | ".join(accountable) + " |")
    return "\n".join(lines)


def _portfolio_markdown(view: Portfolio) -> list[str]:
    out = ["## Portfolio", ""]
    out += ["| Severity | Findings |", "| --- | --- |"]
    out += [f"| {s} | {n} |" for s, n in view.totals.items()]
    out += ["", "### Functions that work on several journeys", ""]
    if not view.shared:
        return [*out, "No function appears in more than one journey.", ""]
    out.append("| Function | Matched | " + " | ".join(md(name) for _, name in view.journeys) + " |")
    out.append("|" + " --- |" * (len(view.journeys) + 2))
    for s in view.shared:
        cells = [s.cell(j) for j, _ in view.journeys]
        out.append(f"| {md(s.name)} | {s.matched} | " + " | ".join(cells) + " |")
    return [*out, ""]


def _to_be_markdown(part: ToBePart) -> list[str]:
    """The redesign beside the as-is: what it changes, the findings it resolves and
    brings, and the comparison's tables, from the same rows as ``whatif --to-be``."""
    d = part.side.diff
    out = ["### As-is and to-be", "", "#### What the to-be changes", ""]
    out += [f"- {md(c)}" for c in part.changes] or ["None."]
    out.append("")
    for title, findings in (
        ("Findings the to-be resolves", d.resolved),
        ("Findings the to-be brings", d.appeared),
    ):
        out += [f"#### {title} ({len(findings)})", ""]
        out += [f"- {finding.severity.value}: {md(finding.message)}" for finding in findings] or [
            "None."
        ]
        out.append("")
    for section in part.sections:
        out += [f"#### {md(section.title)}", ""]
        if section.note:
            out += [md(section.note), ""]
        out.append("| " + " | ".join(md(c) for c in section.columns) + " |")
        out.append("| " + " | ".join("---" for _ in section.columns) + " |")
        out += ["| " + " | ".join(md(c) for c in row) + " |" for row in section.rows]
        out.append("")
    if part.caveat:
        out += [md(part.caveat), ""]
    return out
