"""The conformance checks: the map against what customers did, one module each.

They are rules like the audit's (`journeygraph.rules.Rule`), read an
`EvidenceContext`, and are configured (disabled, graded, waived) in the map's
``audit:`` section like any rule. Importing this package registers them; the
order of the imports below is the order of the docs and the findings.
"""

# isort: off
from journeygraph.evidence.rules import (  # noqa: F401 - imported to register, in this order
    unmapped_touchpoint,
    unmapped_transition,
    unobserved_touchpoint,
    unobserved_transition,
    drop_off,
    rework,
    sla_breach,
    responsible_not_observed,
    unexpected_performer,
    undeclared_handover,
    unmapped_performer,
)

# isort: on
from journeygraph.evidence.rules.registry import evidence_registry

__all__ = ["evidence_registry"]
