"""journeygraph: audit customer journeys as graphs.

A journey map (stages, touchpoints, transitions, and the job functions that
own them) becomes one graph; rules find unowned touchpoints, handoff gaps,
loops, uncovered stages and overloaded functions.

Examples
--------
>>> import journeygraph
>>> m = journeygraph.load("examples/b2b-saas.yaml")
>>> result = journeygraph.audit(m)
>>> result.summary()
{'high': 6, 'medium': 5, 'low': 12, 'info': 0}
>>> G = m.to_networkx()
"""

from __future__ import annotations

import sys
import types

from journeygraph._lazy import lazy_attributes
from journeygraph._version import __version__

# Not from typing: importing typing takes longer than the rest of this package,
# and the command line's start-up (and a Ctrl-C during it) pays for it.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

# Where each public name lives. They load on first use, so that a command
# (or ``journeygraph --version``) pays only for the modules it needs.
_PUBLIC = {
    "AuditConfig": "journeygraph.model",
    "AuditResult": "journeygraph.audit",
    "Finding": "journeygraph.rules",
    "JourneyGraphError": "journeygraph.exceptions",
    "JourneyMap": "journeygraph.model",
    "Location": "journeygraph.exceptions",
    "MapError": "journeygraph.exceptions",
    "Problem": "journeygraph.exceptions",
    "Severity": "journeygraph.model",
    "audit": "journeygraph.audit",
    "coverage_matrix": "journeygraph.algorithms",
    "load": "journeygraph.io.load",
    "load_config": "journeygraph.io.load",
    "loads": "journeygraph.io.load",
    "registry": "journeygraph.rules",
}

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

if TYPE_CHECKING:
    from journeygraph.algorithms import coverage_matrix
    from journeygraph.audit import AuditResult, audit
    from journeygraph.exceptions import JourneyGraphError, Location, MapError, Problem
    from journeygraph.io.load import load, load_config, loads
    from journeygraph.model import AuditConfig, JourneyMap, Severity
    from journeygraph.rules import Finding
    from journeygraph.rules.registry import registry


class _Package(types.ModuleType):
    """This package, whose public names are never replaced by a submodule of the same name.

    Importing ``journeygraph.audit`` (the module) sets ``journeygraph.audit`` to
    it; the public name is the function ``audit``, loaded on first use.
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _PUBLIC and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


__getattr__ = lazy_attributes(__name__, _PUBLIC)


def __dir__() -> list[str]:
    return sorted({*globals(), *_PUBLIC})


def _show_maps_in_notebooks() -> None:
    """In IPython or Jupyter, show a map as its journey flow (the model knows no drawing)."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is None:
        return

    def svg(m: Any) -> str | None:
        from journeygraph.render import notebook_svg

        return notebook_svg(m)

    formats = shell.display_formatter.formats["image/svg+xml"]
    formats.for_type_by_name("journeygraph.model", "JourneyMap", svg)


_show_maps_in_notebooks()
