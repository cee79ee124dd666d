"""journeygraph: audit customer journeys as graphs.

A journey map (stages, touchpoints, transitions, and the job functions that
own them) becomes one graph; rules find unowned touchpoints, handoff gaps,
loops, uncovered stages and overloaded functions.

Examples
--------
>>> import journeygraph
>>> m = journeygraph.load("examples/b2b-saas.yaml")
>>> result = journeygraph.audit(m)
>>> result.summary()["high"] >= 0
True
>>> G = m.to_networkx()
"""

from journeygraph.algorithms import coverage_matrix
from journeygraph.audit import AuditResult, audit
from journeygraph.exceptions import JourneyGraphError, Location, MapError, Problem
from journeygraph.io.load import load, load_config, loads
from journeygraph.model import AuditConfig, JourneyMap, Severity
from journeygraph.rules import Finding, registry

__version__ = "0.1.0"

__all__ = [
    "AuditConfig",
    "AuditResult",
    "Finding",
    "JourneyGraphError",
    "JourneyMap",
    "Location",
    "MapError",
    "Problem",
    "Severity",
    "__version__",
    "audit",
    "coverage_matrix",
    "load",
    "load_config",
    "loads",
    "registry",
]
