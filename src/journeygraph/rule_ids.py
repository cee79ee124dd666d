"""Every rule id, audit rules and log checks alike, in one list.

Kept apart from the registries so that checking a config's rule ids (in
validation) needs no rule loaded; ``tests/test_layers.py`` checks that the
registries hold exactly these, in this order.
"""

from __future__ import annotations

from typing import Final

__all__ = ["ALL_RULE_IDS", "AUDIT_RULE_IDS", "LOG_CHECK_IDS"]

AUDIT_RULE_IDS: Final = (
    "unowned-touchpoint",
    "missing-responsible",
    "missing-accountable",
    "multiple-accountable",
    "handoff-gap",
    "loop",
    "unreachable-touchpoint",
    "dead-end",
    "empty-stage",
    "single-owner-stage",
    "missing-metric",
    "idle-function",
    "overloaded-function",
    "unused-handoff",
)
"""The audit's rules, in the order they are documented and run."""

LOG_CHECK_IDS: Final = (
    "unmapped-touchpoint",
    "unmapped-transition",
    "unobserved-touchpoint",
    "unobserved-transition",
    "drop-off",
    "rework",
)
"""The conformance checks of a map against an event log, configured like rules."""

ALL_RULE_IDS: Final = frozenset(AUDIT_RULE_IDS + LOG_CHECK_IDS)
"""Every id an audit config may name."""
