"""Evidence from event logs: the journey customers actually take, against the map.

>>> from journeygraph.evidence import read_log, discover, compare
>>> from journeygraph.testing import tiny_map
>>> import tempfile, pathlib
>>> log = pathlib.Path(tempfile.mkdtemp()) / "events.csv"
>>> _ = log.write_text("case_id,touchpoint,timestamp\\nc1,ad,1\\nc1,shop,2\\n")
>>> evidence = compare(tiny_map(), discover(read_log(log)))
>>> evidence.flow.cases, evidence.expected["log"].changes_of_hands
(1, 1.0)

The names below load on first use: reading a map (which checks rule ids
against the conformance checks) does not start DuckDB or NumPy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from journeygraph._lazy import lazy_attributes

if TYPE_CHECKING:
    from journeygraph.evidence.check import LogCheck
    from journeygraph.evidence.comparison import (
        Evidence,
        HandoffFigures,
        HandoffFlow,
        SlowHandoff,
        compare,
        map_chain,
        observed_chain,
    )
    from journeygraph.evidence.context import EvidenceContext
    from journeygraph.evidence.flow import ObservedFlow, TouchpointStats, TransitionStats, discover
    from journeygraph.evidence.log import BadRow, Columns, EventLog, read_log
    from journeygraph.evidence.markov import Chain, Expectation, expectations
    from journeygraph.evidence.observe import observe, observe_map
    from journeygraph.evidence.skeleton import skeleton_map

_WHERE = {
    "Evidence": "comparison",
    "HandoffFigures": "comparison",
    "HandoffFlow": "comparison",
    "SlowHandoff": "comparison",
    "LogCheck": "check",
    "EvidenceContext": "context",
    "skeleton_map": "skeleton",
    "compare": "comparison",
    "map_chain": "comparison",
    "observed_chain": "comparison",
    "ObservedFlow": "flow",
    "TouchpointStats": "flow",
    "TransitionStats": "flow",
    "discover": "flow",
    "BadRow": "log",
    "Columns": "log",
    "EventLog": "log",
    "read_log": "log",
    "Chain": "markov",
    "Expectation": "markov",
    "expectations": "markov",
    "observe": "observe",
    "observe_map": "observe",
}

__all__ = [
    "BadRow",
    "Chain",
    "Columns",
    "EventLog",
    "Evidence",
    "EvidenceContext",
    "Expectation",
    "HandoffFigures",
    "HandoffFlow",
    "LogCheck",
    "ObservedFlow",
    "SlowHandoff",
    "TouchpointStats",
    "TransitionStats",
    "compare",
    "discover",
    "expectations",
    "map_chain",
    "observe",
    "observe_map",
    "observed_chain",
    "read_log",
    "skeleton_map",
]


__getattr__ = lazy_attributes(__name__, {k: f"{__name__}.{v}" for k, v in _WHERE.items()})
