"""overloaded-function: one function does too much of the journey."""

from __future__ import annotations

from journeygraph.algorithms import overloaded_functions
from journeygraph.model import Severity
from journeygraph.rule_ids import OVERLOADED_FUNCTION
from journeygraph.rules.registry import registry
from journeygraph.rules.share import ShareOfTouchpoints


@registry.register
class OverloadedFunction(ShareOfTouchpoints):
    id = OVERLOADED_FUNCTION
    severity = Severity.MEDIUM
    summary = (
        "A function is Responsible for at least `overload_min` touchpoints and for more "
        "than `overload_share` of all touchpoints (defaults 5 and 0.30)."
    )
    entities = "[function]"
    rationale = (
        "A function doing a large share of the journey is a bottleneck: its queue sets "
        "the customer's waiting time, and its absence stops the journey."
    )
    fix = (
        "Spread the work: give some of its touchpoints to other functions, or split the "
        "function. Tune `audit.thresholds` if the defaults do not fit the organisation."
    )
    advice = "Spread the work: give some of this function's steps to others, or split the function."
    failing_example = """\
stages: [{id: buy}]
functions: [{id: sales}]
touchpoints:
  - {id: t1, stage: buy, next: [t2], owners: {R: sales, A: sales}}
  - {id: t2, stage: buy, next: [t3], owners: {R: sales, A: sales}}
  - {id: t3, stage: buy, next: [t4], owners: {R: sales, A: sales}}
  - {id: t4, stage: buy, next: [t5], owners: {R: sales, A: sales}}
  - {id: t5, stage: buy, exit: true, owners: {R: sales, A: sales}}
"""
    passing_example = """\
stages: [{id: buy}]
functions: [{id: sales}]
touchpoints:
  - {id: t1, stage: buy, next: [t2], owners: {R: sales, A: sales}}
  - {id: t2, stage: buy, exit: true, owners: {R: sales, A: sales}}
"""

    count_key = "responsible_for"
    share_setting = "overload_share"
    minimum_setting = "overload_min"
    holds = "is responsible for"
    finder = staticmethod(overloaded_functions)
