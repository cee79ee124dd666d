"""Mermaid flowchart text: the journey flow for wikis and repository Markdown."""

from __future__ import annotations

from typing import TYPE_CHECKING

from journeygraph.model import JourneyMap, Severity
from journeygraph.rule_ids import HANDOFF_GAP, LOOP

if TYPE_CHECKING:
    # Findings are drawn when the caller has audited the map; io runs no audit.
    from journeygraph.audit import AuditResult

__all__ = ["mermaid_flowchart"]


_ENTITIES = {"#": "#35;", "&": "#38;", "<": "#60;", ">": "#62;", '"': "#34;", "`": "#96;"}


def _label(text: str) -> str:
    """A quoted Mermaid label: markup, quotes and ``#`` as Mermaid's numeric entity codes.

    Examples
    --------
    >>> _label('<b>"#1"</b>\\nx')
    '"#60;b#62;#34;#35;1#34;#60;/b#62;<br>x"'
    """
    escaped = "".join(_ENTITIES.get(c, c) for c in text.replace("\r\n", "\n").replace("\r", "\n"))
    return '"' + escaped.replace("\n", "<br>") + '"'


def mermaid_flowchart(m: JourneyMap, result: AuditResult | None = None) -> str:
    """The journey as a Mermaid ``flowchart LR``: a subgraph per stage, findings styled.

    Node ids are generated (``t0``, ``s0``), so no id from the map reaches the
    Mermaid syntax; names are quoted labels with markup characters escaped.

    Examples
    --------
    >>> from journeygraph.testing import tiny_map
    >>> print(mermaid_flowchart(tiny_map()).splitlines()[2])
      subgraph s0["first"]
    """
    ids = {t.id: f"t{i}" for i, t in enumerate(m.touchpoints)}
    lines = ["flowchart LR", f"  %% {m.journey.id.replace(chr(10), ' ')}"]
    for i, s in enumerate(m.stages):
        lines.append(f"  subgraph s{i}[{_label(s.label)}]")
        lines += [f"    {ids[t.id]}[{_label(t.label)}]" for t in m.touchpoints if t.stage == s.id]
        lines.append("  end")
    gaps: dict[tuple[str, str], Severity] = {}
    marked: dict[str, Severity] = {}
    for finding in result.findings if result else ():
        if finding.rule == HANDOFF_GAP:
            gaps[(finding.entities[0], finding.entities[1])] = finding.severity
        elif finding.subject.kind == "touchpoint" and finding.rule != LOOP:
            marked[finding.entities[0]] = max(
                finding.severity, marked.get(finding.entities[0], Severity.INFO)
            )
    links = []
    for t in m.touchpoints:
        for step in t.next:
            arrow = "-. gap .->" if (t.id, step.to) in gaps else "-->"
            links.append(f"  {ids[t.id]} {arrow} {ids[step.to]}")
    lines += links
    lines.append("  classDef high fill:#ffebee,stroke:#c62828,stroke-width:2px")
    lines.append("  classDef medium stroke:#ef6c00,stroke-width:2px")
    for marked_id, severity in marked.items():
        if severity >= Severity.MEDIUM:
            lines.append(f"  class {ids[marked_id]} {severity.value}")
    return "\n".join(lines) + "\n"
