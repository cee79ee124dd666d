"""The diff of two maps as text, JSON, or Markdown for a pull-request comment."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import RenderableType
from rich.table import Table

from journeygraph.diff import MapDiff
from journeygraph.escape import json_text
from journeygraph.escape import markdown as md
from journeygraph.graph import JOB_FUNCTION, STAGE
from journeygraph.report.terminal import SEVERITY_STYLE, render_text, safe
from journeygraph.rules import Finding

__all__ = ["diff_json", "diff_markdown", "diff_text"]


def diff_json(d: MapDiff) -> str:
    """The diff as JSON."""
    return json_text(d.to_dict(), indent=2) + "\n"


def _counts(summary: dict[str, int]) -> str:
    return ", ".join(f"{n} {s}" for s, n in summary.items() if n) or "none"


def diff_markdown(d: MapDiff, *, described: Sequence[str] | None = None) -> str:
    """The diff as Markdown: findings that appeared and were resolved first.

    ``described`` gives the changes to the map in names (`journeygraph.diff.describe`),
    listed as sentences for a client instead of the table of kinds and ids.

    Examples
    --------
    >>> from journeygraph.diff import diff_maps
    >>> from journeygraph.testing import tiny_map
    >>> print(diff_markdown(diff_maps(tiny_map(), tiny_map())).splitlines()[0])
    ## Journey map changes: Tiny
    """
    out = [f"## Journey map changes: {md(d.new.name)}", ""]
    out.append(f"Findings before: {_counts(d.old.summary())}. After: {_counts(d.new.summary())}.")
    out.append("")
    for title, findings in (("New findings", d.appeared), ("Resolved findings", d.resolved)):
        out += [f"### {title} ({len(findings)})", ""]
        if findings:
            out += ["| Severity | Rule | Finding | Line |", "| --- | --- | --- | --- |"]
            out += [_finding_row(finding) for finding in findings]
        else:
            out.append("None.")
        out.append("")
    out += [f"### Changes to the map ({len(d.changes)})", ""]
    if described is not None:
        out += [f"- {md(c)}" for c in described] or ["None."]
    elif d.changes:
        out += ["| What | Which | Change |", "| --- | --- | --- |"]
        for c in d.changes:
            detail = f"{c.how} ({c.detail})" if c.detail else c.how
            out.append(f"| {c.kind} | {md(' / '.join(c.key))} | {md(detail)} |")
    else:
        out.append("None.")
    out.append("")
    if d.matrix_changes:
        out += [
            "### Coverage matrix: cells that changed",
            "",
            "| Function | Stage | Before | After |",
            "| --- | --- | --- | --- |",
        ]
        for function, s, before, after in d.matrix_changes:
            name = d.matrix_after.name(JOB_FUNCTION, function) or d.matrix_before.name(
                JOB_FUNCTION, function
            )
            stage = d.matrix_after.name(STAGE, s) or d.matrix_before.name(STAGE, s)
            out.append(f"| {md(name)} | {md(stage)} | {before or '–'} | {after or '–'} |")
        out.append("")
    return "\n".join(out)


def _finding_row(finding: Finding) -> str:
    line = str(finding.location.line) if finding.location else ""
    return f"| {finding.severity.value} | {finding.rule} | {md(finding.message)} | {line} |"


def diff_text(d: MapDiff, *, color: bool = False, width: int = 120) -> str:
    """The diff for the terminal."""
    parts: list[RenderableType] = []
    parts.append(safe(f"{d.new.name}: {len(d.changes)} changes", style="bold"))
    parts.append(
        safe(f"findings before: {_counts(d.old.summary())}; after: {_counts(d.new.summary())}")
    )
    for title, findings, style in (
        ("New findings", d.appeared, "red"),
        ("Resolved findings", d.resolved, "green"),
    ):
        table = Table(title=safe(f"{title} ({len(findings)})", style=style), title_justify="left")
        table.add_column("Severity", no_wrap=True)
        table.add_column("Rule", no_wrap=True)
        table.add_column("Finding")
        for finding in findings:
            table.add_row(
                safe(finding.severity.value, style=SEVERITY_STYLE[finding.severity]),
                safe(finding.rule),
                safe(finding.message),
            )
        parts.append(table)
    changes = Table(title=safe(f"Changes to the map ({len(d.changes)})"), title_justify="left")
    changes.add_column("What")
    changes.add_column("Which")
    changes.add_column("Change")
    for c in d.changes:
        changes.add_row(
            safe(c.kind),
            safe(" / ".join(c.key)),
            safe(f"{c.how} ({c.detail})" if c.detail else c.how),
        )
    parts.append(changes)
    if d.matrix_changes:
        cells = Table(title=safe("Coverage matrix: cells that changed"), title_justify="left")
        for column in ("Function", "Stage", "Before", "After"):
            cells.add_column(column)
        for function, stage, before, after in d.matrix_changes:
            cells.add_row(
                safe(d.matrix_after.name(JOB_FUNCTION, function)),
                safe(d.matrix_after.name(STAGE, stage)),
                safe(before or "–"),
                safe(after or "–"),
            )
        parts.append(cells)
    return render_text(*parts, color=color, width=width)
