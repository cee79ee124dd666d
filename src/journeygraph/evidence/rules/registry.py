"""The registry of the conformance checks (kept apart so check modules can import it)."""

from __future__ import annotations

from journeygraph.evidence.conformance.check import LogCheck
from journeygraph.rule_ids import LOG_CHECK_IDS, RULE_ALIASES, RULE_GROUPS
from journeygraph.rules.registry import Registry

__all__ = ["evidence_registry"]

evidence_registry: Registry[LogCheck] = Registry(
    LOG_CHECK_IDS, groups=RULE_GROUPS, aliases=RULE_ALIASES
)
"""The conformance checks, in the order of :data:`LOG_CHECK_IDS`."""
