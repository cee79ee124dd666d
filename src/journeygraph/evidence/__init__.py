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
    from journeygraph.evidence.conformance.check import LogCheck
    from journeygraph.evidence.conformance.comparison import (
        Evidence,
        HandoffFigures,
        HandoffFlow,
        SlowHandoff,
        compare,
        map_chain,
        observed_chain,
    )
    from journeygraph.evidence.conformance.context import EvidenceContext
    from journeygraph.evidence.conformance.observe import observe, observe_map
    from journeygraph.evidence.discovery.flow import (
        ObservedFlow,
        TouchpointStats,
        TransitionStats,
        discover,
    )
    from journeygraph.evidence.discovery.skeleton import skeleton_map
    from journeygraph.evidence.reading.columns import Columns
    from journeygraph.evidence.reading.log import BadRow, EventLog, read_log
    from journeygraph.evidence.statistics.markov import Chain, Expectation, expectations

_WHERE = {
    "Evidence": "conformance.comparison",
    "HandoffFigures": "conformance.comparison",
    "HandoffFlow": "conformance.comparison",
    "SlowHandoff": "conformance.comparison",
    "LogCheck": "conformance.check",
    "EvidenceContext": "conformance.context",
    "skeleton_map": "discovery.skeleton",
    "compare": "conformance.comparison",
    "map_chain": "conformance.comparison",
    "observed_chain": "conformance.comparison",
    "ObservedFlow": "discovery.flow",
    "TouchpointStats": "discovery.flow",
    "TransitionStats": "discovery.flow",
    "discover": "discovery.flow",
    "BadRow": "reading.log",
    "Columns": "reading.columns",
    "EventLog": "reading.log",
    "read_log": "reading.log",
    "Chain": "statistics.markov",
    "Expectation": "statistics.markov",
    "expectations": "statistics.markov",
    "observe": "conformance.observe",
    "observe_map": "conformance.observe",
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
