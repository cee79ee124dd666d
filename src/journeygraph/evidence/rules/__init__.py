"""The conformance checks: the map against what customers did, one module each.

They are rules like the audit's (`journeygraph.rules.Rule`), in their own
registry, read an `EvidenceContext` and are configured (disabled, graded,
waived) in the map's ``audit:`` section like any rule.
"""

from journeygraph.rules.registry import Registry

evidence_registry = Registry()
"""The conformance checks, in the order of the docs."""

# isort: off
from journeygraph.evidence.rules import (  # noqa: E402, F401 - imported to register, in this order
    unmapped_touchpoint,
    unmapped_transition,
    unobserved_touchpoint,
    unobserved_transition,
    drop_off,
    rework,
)

# isort: on

__all__ = ["evidence_registry"]
