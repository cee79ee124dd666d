"""Every rule id, audit rules and log checks alike, as constants and in one list.

Kept apart from the registries so that checking a config's rule ids (in
validation) needs no rule loaded, and so that code which treats one rule
specially (a diagram colouring handoff gaps) names it by constant, never by a
string literal; ``tests/test_layers.py`` checks that the registries hold
exactly these, in this order.
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "ACCOUNTABILITY_CONCENTRATION",
    "ALL_RULE_IDS",
    "AUDIT_RULE_IDS",
    "CAPACITY_OVERLOAD",
    "DEAD_END",
    "DROP_OFF",
    "EMPTY_STAGE",
    "HANDOFF_GAP",
    "HANDOFF_WITHOUT_SLA",
    "IDLE_FUNCTION",
    "LOG_CHECK_IDS",
    "LOOP",
    "MISSING_ACCOUNTABLE",
    "MISSING_METRIC",
    "MISSING_RESPONSIBLE",
    "MULTIPLE_ACCOUNTABLE",
    "OVERLOADED_FUNCTION",
    "RESPONSIBLE_NOT_OBSERVED",
    "REWORK",
    "SINGLE_OWNER_STAGE",
    "SLA_BREACH",
    "SPLIT_ACCOUNTABILITY",
    "UNADDRESSED_PAIN_POINT",
    "UNDECLARED_HANDOVER",
    "UNEXPECTED_PERFORMER",
    "UNMAPPED_PERFORMER",
    "UNMAPPED_TOUCHPOINT",
    "UNMAPPED_TRANSITION",
    "UNOBSERVED_TOUCHPOINT",
    "UNOBSERVED_TRANSITION",
    "UNOWNED_TOUCHPOINT",
    "UNREACHABLE_TOUCHPOINT",
    "UNUSED_HANDOFF",
]

# Audit rules
UNOWNED_TOUCHPOINT: Final = "unowned-touchpoint"
MISSING_RESPONSIBLE: Final = "missing-responsible"
MISSING_ACCOUNTABLE: Final = "missing-accountable"
MULTIPLE_ACCOUNTABLE: Final = "multiple-accountable"
HANDOFF_GAP: Final = "handoff-gap"
LOOP: Final = "loop"
UNREACHABLE_TOUCHPOINT: Final = "unreachable-touchpoint"
DEAD_END: Final = "dead-end"
EMPTY_STAGE: Final = "empty-stage"
SINGLE_OWNER_STAGE: Final = "single-owner-stage"
MISSING_METRIC: Final = "missing-metric"
IDLE_FUNCTION: Final = "idle-function"
OVERLOADED_FUNCTION: Final = "overloaded-function"
UNUSED_HANDOFF: Final = "unused-handoff"
HANDOFF_WITHOUT_SLA: Final = "handoff-without-sla"
SPLIT_ACCOUNTABILITY: Final = "split-accountability"
ACCOUNTABILITY_CONCENTRATION: Final = "accountability-concentration"
UNADDRESSED_PAIN_POINT: Final = "unaddressed-pain-point"
CAPACITY_OVERLOAD: Final = "capacity-overload"

# Log checks
UNMAPPED_TOUCHPOINT: Final = "unmapped-touchpoint"
UNMAPPED_TRANSITION: Final = "unmapped-transition"
UNOBSERVED_TOUCHPOINT: Final = "unobserved-touchpoint"
UNOBSERVED_TRANSITION: Final = "unobserved-transition"
DROP_OFF: Final = "drop-off"
REWORK: Final = "rework"
SLA_BREACH: Final = "sla-breach"
RESPONSIBLE_NOT_OBSERVED: Final = "responsible-not-observed"
UNEXPECTED_PERFORMER: Final = "unexpected-performer"
UNDECLARED_HANDOVER: Final = "undeclared-handover"
UNMAPPED_PERFORMER: Final = "unmapped-performer"

AUDIT_RULE_IDS: Final = (
    UNOWNED_TOUCHPOINT,
    MISSING_RESPONSIBLE,
    MISSING_ACCOUNTABLE,
    MULTIPLE_ACCOUNTABLE,
    HANDOFF_GAP,
    LOOP,
    UNREACHABLE_TOUCHPOINT,
    DEAD_END,
    EMPTY_STAGE,
    SINGLE_OWNER_STAGE,
    MISSING_METRIC,
    IDLE_FUNCTION,
    OVERLOADED_FUNCTION,
    UNUSED_HANDOFF,
    HANDOFF_WITHOUT_SLA,
    SPLIT_ACCOUNTABILITY,
    ACCOUNTABILITY_CONCENTRATION,
    UNADDRESSED_PAIN_POINT,
    CAPACITY_OVERLOAD,
)
"""The audit's rules, in the order they are documented and run."""

LOG_CHECK_IDS: Final = (
    UNMAPPED_TOUCHPOINT,
    UNMAPPED_TRANSITION,
    UNOBSERVED_TOUCHPOINT,
    UNOBSERVED_TRANSITION,
    DROP_OFF,
    REWORK,
    SLA_BREACH,
    RESPONSIBLE_NOT_OBSERVED,
    UNEXPECTED_PERFORMER,
    UNDECLARED_HANDOVER,
    UNMAPPED_PERFORMER,
)
"""The conformance checks of a map against an event log, configured like rules."""

ALL_RULE_IDS: Final = frozenset(AUDIT_RULE_IDS + LOG_CHECK_IDS)
"""Every id an audit config may name."""

RULE_GROUPS: Final[dict[str, tuple[str, ...]]] = {
    "ownership": (
        UNOWNED_TOUCHPOINT,
        MISSING_RESPONSIBLE,
        MISSING_ACCOUNTABLE,
        MULTIPLE_ACCOUNTABLE,
        SPLIT_ACCOUNTABILITY,
    ),
    "handoffs": (HANDOFF_GAP, UNUSED_HANDOFF, HANDOFF_WITHOUT_SLA),
    "flow": (LOOP, UNREACHABLE_TOUCHPOINT, DEAD_END),
    "coverage": (EMPTY_STAGE, SINGLE_OWNER_STAGE, MISSING_METRIC),
    "workload": (
        IDLE_FUNCTION,
        OVERLOADED_FUNCTION,
        ACCOUNTABILITY_CONCENTRATION,
        CAPACITY_OVERLOAD,
    ),
    "customer": (UNADDRESSED_PAIN_POINT,),
    "conformance": (
        UNMAPPED_TOUCHPOINT,
        UNMAPPED_TRANSITION,
        UNOBSERVED_TOUCHPOINT,
        UNOBSERVED_TRANSITION,
        DROP_OFF,
        REWORK,
    ),
    "practice": (
        SLA_BREACH,
        RESPONSIBLE_NOT_OBSERVED,
        UNEXPECTED_PERFORMER,
        UNDECLARED_HANDOVER,
        UNMAPPED_PERFORMER,
    ),
}
"""Named groups of rules for ``--rules`` and ``--exclude-rules``; every rule is in one."""

RULE_ALIASES: Final[dict[str, str]] = {}
"""A renamed rule's old id to its new one: configs, waivers and ``--rules`` that name the
old id keep working, with a warning to rename it. Empty until a rule is renamed."""
