"""The audit rules: a registry, one module per rule, and their findings.

Importing this package registers the shipped rules; their order (of the rule
table, the docs and the findings) is AUDIT_RULE_IDS's (`journeygraph.rule_ids`), whatever
the order of the imports.
"""

from journeygraph.rules import (  # noqa: F401 - imported to register
    accountability_concentration,
    capacity_overload,
    dead_end,
    empty_stage,
    handoff_gap,
    handoff_without_sla,
    idle_function,
    loop,
    missing_accountable,
    missing_metric,
    missing_responsible,
    multiple_accountable,
    overloaded_function,
    single_owner_stage,
    split_accountability,
    unaddressed_pain_point,
    unowned_touchpoint,
    unreachable_touchpoint,
    unused_handoff,
)
from journeygraph.rules.base import AuditRule, Finding, Rule, RuleContext, Subject
from journeygraph.rules.registry import Registry, registry

__all__ = ["AuditRule", "Finding", "Registry", "Rule", "RuleContext", "Subject", "registry"]
