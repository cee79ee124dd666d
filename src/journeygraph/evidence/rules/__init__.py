"""The conformance checks: the map against what customers did, one module each.

They are rules like the audit's (`journeygraph.rules.Rule`), read an
`EvidenceContext`, and are configured (disabled, graded, waived) in the map's
``audit:`` section like any rule. Importing this package registers them; the
order is LOG_CHECK_IDS's (`journeygraph.rule_ids`), whatever the order of the imports.
"""

from journeygraph.evidence.rules import (  # noqa: F401 - imported to register
    drop_off,
    responsible_not_observed,
    rework,
    sla_breach,
    undeclared_handover,
    unexpected_performer,
    unmapped_performer,
    unmapped_touchpoint,
    unmapped_transition,
    unobserved_touchpoint,
    unobserved_transition,
)
from journeygraph.evidence.rules.registry import evidence_registry

__all__ = ["evidence_registry"]
