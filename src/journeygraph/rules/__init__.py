"""The audit rules: a registry, one module per rule, and their findings.

Importing this package registers the shipped rules; the order of the imports
below is the order of the rule table, the docs and the findings.
"""

# isort: off
from journeygraph.rules import (  # noqa: F401 - imported to register, in this order
    unowned_touchpoint,
    missing_responsible,
    missing_accountable,
    multiple_accountable,
    handoff_gap,
    loop,
    unreachable_touchpoint,
    dead_end,
    empty_stage,
    single_owner_stage,
    missing_metric,
    idle_function,
    overloaded_function,
    unused_handoff,
    handoff_without_sla,
    split_accountability,
    accountability_concentration,
    unaddressed_pain_point,
    capacity_overload,
)

# isort: on
from journeygraph.rules.base import AuditRule, Finding, Rule, RuleContext, Subject
from journeygraph.rules.registry import Registry, registry

__all__ = ["AuditRule", "Finding", "Registry", "Rule", "RuleContext", "Subject", "registry"]
