"""The audit run as Cypher: one query of ``cypher/audit/`` per rule.

Each rule's query returns its findings' entities and facts; the rule turns a
row into a finding (`journeygraph.rules.Rule.from_row`) worded exactly as the
in-process audit words it, and `journeygraph.audit.assemble` applies the
journey's settings (disabled rules, severities, thresholds, waivers) and sorts.
"""

from __future__ import annotations

from collections.abc import Iterator

from journeygraph.algorithms.workload import share_fraction
from journeygraph.audit import AuditResult, assemble
from journeygraph.model import AuditConfig
from journeygraph.rules import AuditRule, Finding, Registry, RuleContext, registry
from journeygraph.store import gds as gds_library
from journeygraph.store import library
from journeygraph.store.reader import pull
from journeygraph.store.runner import Runner

__all__ = ["cypher_audit"]


def cypher_audit(
    runner: Runner,
    journey: str,
    *,
    config: AuditConfig | None = None,
    rules: Registry[AuditRule] | None = None,
    gds: bool = False,
) -> AuditResult:
    """Audit ``journey`` in the database by running the rules' Cypher queries.

    Parameters
    ----------
    runner
        Runs Cypher (the Neo4j driver, or an embedded engine).
    journey
        The journey id.
    config
        Laid over the journey's stored ``audit:`` settings, as in `journeygraph.audit`.
    rules
        The rules to run; the shipped registry by default.
    gds
        Find loops with the Graph Data Science library (``cypher/gds/loop``, in
        linear time) instead of by mutual reachability; the server must have
        GDS installed (`journeygraph.store.gds.installed`).

    Returns
    -------
    AuditResult
        The same findings the in-process audit gives for the same map; no
        source locations, since the map lives in the database.
    """
    rules = registry if rules is None else rules
    # The stored map gives the settings, the display names and the map order
    # the findings are sorted in; the findings themselves come from Cypher.
    m = pull(runner, journey)
    settings = m.audit if config is None else m.audit.merged(config)
    # Messages read names and departments (an outside firm is worded as such).
    ctx = RuleContext(m.to_networkx(), thresholds=settings.thresholds)
    limits = settings.thresholds
    share = share_fraction(limits.overload_share)
    concentration = share_fraction(limits.concentration_share)
    capacity = share_fraction(limits.capacity_share)
    parameters = {
        "journey": journey,
        "overload_min": limits.overload_min,
        "overload_share_numerator": share.numerator,
        "overload_share_denominator": share.denominator,
        "concentration_min": limits.concentration_min,
        "concentration_share_numerator": concentration.numerator,
        "concentration_share_denominator": concentration.denominator,
        "capacity_share_numerator": capacity.numerator,
        "capacity_share_denominator": capacity.denominator,
    }

    def check(rule: AuditRule) -> Iterator[Finding]:
        name = gds_library.REPLACES.get(rule.id) if gds else None
        q = library.query(name or f"audit/{rule.id}")
        given = gds_library.parameters(parameters) if name else parameters
        wanted = {key: given[key] for key in q.parameters}
        for row in runner.run(q.text, wanted):
            yield from rule.row_findings(ctx, row)

    return assemble(m, settings, rules, check)
