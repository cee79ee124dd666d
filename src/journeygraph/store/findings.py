"""Audit findings stored in the graph, linked to what they are about (``neo4j audit --write``).

Each finding becomes a ``(:Finding {journey, position, rule, severity, message,
entities, waiver})`` node with ``[:ABOUT]`` relationships to the touchpoints,
stage or job functions it concerns, so that Bloom can colour them and Cypher
can query them. A run replaces the journey's earlier findings.
"""

from __future__ import annotations

from typing import Any

from journeygraph.audit import AuditResult
from journeygraph.rules import Finding
from journeygraph.store import library
from journeygraph.store.rows import batches
from journeygraph.store.runner import DEFAULT_BATCH_SIZE, Runner

__all__ = ["about", "finding_rows", "write_findings"]

Rows = list[dict[str, Any]]

_TARGETS = {
    "touchpoint": "touchpoints",
    "transition": "touchpoints",
    "stage": "stages",
    "function": "functions",
    "handoff": "functions",
}
"""What a finding's entities are, by the kind of its subject."""


def about(finding: Finding) -> tuple[str, tuple[str, ...]]:
    """What a finding is about: ``touchpoints``, ``stages`` or ``functions``, and their ids.

    Examples
    --------
    >>> from journeygraph import audit
    >>> from journeygraph.testing import tiny_map
    >>> [about(finding) for finding in audit(tiny_map()).findings][:1]
    [('touchpoints', ('ad', 'shop'))]
    """
    return _TARGETS[finding.subject.kind], tuple(dict.fromkeys(finding.entities))


def finding_rows(result: AuditResult) -> tuple[Rows, dict[str, Rows]]:
    """The rows of the finding nodes, and per kind of target the rows of their links.

    Findings keep the audit's order; waived ones follow, with their reason.
    """
    nodes: Rows = []
    links: dict[str, Rows] = {"touchpoints": [], "stages": [], "functions": []}
    for position, finding in enumerate([*result.findings, *result.waived]):
        nodes.append(
            {
                "id": str(position),
                "position": position,
                "rule": finding.rule,
                "severity": finding.severity.value,
                "message": finding.message,
                "entities": list(finding.entities),
                "waiver": finding.waiver,
            }
        )
        kind, ids = about(finding)
        links[kind] += [{"finding": str(position), "id": ident} for ident in ids]
    return nodes, links


def write_findings(
    runner: Runner, result: AuditResult, *, batch_size: int = DEFAULT_BATCH_SIZE
) -> int:
    """Replace the journey's stored findings with ``result``'s; the number of statements run.

    Call it inside one write transaction, so that readers see the old findings
    or the new, never a mix.
    """
    journey = result.journey
    runner.run(library.query("sync/delete-findings").text, {"journey": journey})
    statements = 1
    nodes, links = finding_rows(result)
    sends = [("sync/upsert-findings", nodes)]
    sends += [(f"sync/link-findings-{kind}", rows) for kind, rows in links.items()]
    for name, rows in sends:
        text = library.query(name).text
        for batch in batches(rows, batch_size):
            runner.run(text, {"journey": journey, "rows": batch})
            statements += 1
    return statements
