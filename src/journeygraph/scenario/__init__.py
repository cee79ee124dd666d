"""To-be scenarios: a redesign written as changes to a map, applied, and replayed on real paths.

Examples
--------
>>> from journeygraph.testing import tiny_map
>>> s = Scenario.model_validate({"version": 1, "changes": [
...     {"change_function": {"function": "sales", "fte": 3}}]})
>>> apply(tiny_map(), s).functions[1].fte
3.0
"""

from __future__ import annotations

from journeygraph.scenario.apply import apply
from journeygraph.scenario.load import is_scenario, load_scenario, load_to_be, loads_scenario
from journeygraph.scenario.model import CHANGE_KINDS, Change, Scenario

__all__ = [
    "CHANGE_KINDS",
    "Change",
    "Scenario",
    "apply",
    "is_scenario",
    "load_scenario",
    "load_to_be",
    "loads_scenario",
]
