"""What ``audit`` prints, for the command line, ``neo4j audit``, the workshop and notebooks:
the results with the baseline applied, in one format, and what to say beside them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from journeygraph.escape import count
from journeygraph.severity import Severity

if TYPE_CHECKING:
    from journeygraph.audit import AuditResult
    from journeygraph.model import JourneyMap

__all__ = ["AuditOutput", "audit_output", "summary_line"]


@dataclass(frozen=True)
class AuditOutput:
    """An audit as printed.

    Attributes
    ----------
    text
        The results in the format asked for (a portfolio view for several maps).
    results
        The results as printed: without the findings the baseline holds.
    notes
        Lines to say beside the output (how many findings the baseline left out).
    warnings
        Lines to say as warnings, located: waivers that match no finding.
    summary
        The one-line count of findings, as every command words it.
    """

    text: str
    results: list[AuditResult]
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    summary: str = ""


def audit_output(
    journeys: Sequence[JourneyMap],
    results: Sequence[AuditResult],
    output_format: str,
    *,
    baseline: Path | None = None,
    color: bool = False,
    width: int = 120,
) -> AuditOutput:
    """``results`` of ``journeys`` as ``audit`` prints them in ``output_format``.

    Findings already in the ``baseline`` file are left out (and counted in a
    note); several journeys are shown as a portfolio.

    Examples
    --------
    >>> from journeygraph import audit
    >>> from journeygraph.testing import tiny_map
    >>> m = tiny_map()
    >>> out = audit_output([m], [audit(m)], "json")
    >>> out.text.startswith("{"), out.notes, out.warnings
    (True, [], [])
    """
    from journeygraph.report import OutputFormat, formatter
    from journeygraph.report.scorecard import portfolio

    shown = list(results)
    notes = []
    if baseline is not None:
        from journeygraph.baseline import apply_baseline, load_baseline  # only with a baseline

        known = load_baseline(baseline)
        shown = [apply_baseline(r, known) for r in shown]
        old = sum(r.baselined for r in shown)
        notes.append(f"{count(old, 'finding')} already in the baseline left out")
    view = portfolio(list(journeys), shown) if len(journeys) > 1 else None
    text = formatter(OutputFormat(output_format), color=color, width=width).audit(
        shown, portfolio=view
    )
    warnings = [
        f"{f'{w.location}: ' if w.location else ''}warning: waiver for {w.rule} "
        f"{list(w.entities)} matches no finding"
        for r in shown
        for w in r.unused_waivers
    ]
    return AuditOutput(text, shown, notes, warnings, summary_line(shown))


def summary_line(
    results: Sequence[AuditResult], logs: Sequence[AuditResult | None] | None = None
) -> str:
    """``6 high, 4 medium, 2 low, 1 info (1 waived) in 1 journey``; with the log's checks
    (``logs``, each journey's conformance result or ``None``) counted apart, worded as the
    report's scorecard words them: ``6 high in the map, 2 high in the log, ...``.

    Examples
    --------
    >>> summary_line([])
    'No findings in 0 journeys.'
    """
    in_map = {s.value: 0 for s in sorted(Severity, reverse=True)}
    in_log = dict.fromkeys(in_map, 0)
    waived = 0
    checked = [r for r in logs or [] if r is not None]
    for result in [*results, *checked]:
        waived += len(result.waived)
    for result in results:
        for severity, n in result.summary().items():
            in_map[severity] += n
    for result in checked:
        for severity, n in result.summary().items():
            in_log[severity] += n
    journeys = f"{len(results)} journey{'s' if len(results) != 1 else ''}"
    extra = f" ({waived} waived)" if waived else ""
    from journeygraph.report.scorecard import counted  # networkx: not for a log alone

    counts = counted(in_map, in_log if checked else None)
    if not any(n for _, n in counts):
        return f"No findings in {journeys}{extra}."
    found = ", ".join(f"{n} {label}" for label, n in counts if n)
    return f"{found}{extra} in {journeys}."
