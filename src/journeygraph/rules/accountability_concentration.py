"""accountability-concentration: one function answers for too much of the journey alone."""

from __future__ import annotations

from journeygraph.algorithms import accountability_concentration
from journeygraph.model import Severity
from journeygraph.rule_ids import ACCOUNTABILITY_CONCENTRATION
from journeygraph.rules.registry import registry
from journeygraph.rules.share import ShareOfTouchpoints


@registry.register
class AccountabilityConcentration(ShareOfTouchpoints):
    id = ACCOUNTABILITY_CONCENTRATION
    severity = Severity.MEDIUM
    summary = (
        "A function is the sole Accountable on at least `concentration_min` touchpoints "
        "and on more than `concentration_share` of all touchpoints (defaults 5 and 0.25)."
    )
    entities = "[function]"
    rationale = (
        "Accountability concentrated on one function makes it the bottleneck for every "
        "decision and escalation along the journey, and a single point of failure when "
        "it is away. The comparison is exact: 5 of 20 is not more than 0.25."
    )
    fix = (
        "Hand accountability for some touchpoints to the functions closest to the work, "
        "or tune `audit.thresholds.concentration_min` and `concentration_share`."
    )
    advice = "Hand accountability for some steps to the functions closest to the work."
    failing_example = """\
stages: [{id: buy}]
functions: [{id: head}, {id: rep}]
touchpoints:
  - {id: t1, stage: buy, next: [t2], owners: {R: rep, A: head}}
  - {id: t2, stage: buy, next: [t3], owners: {R: rep, A: head}}
  - {id: t3, stage: buy, next: [t4], owners: {R: rep, A: head}}
  - {id: t4, stage: buy, next: [t5], owners: {R: rep, A: head}}
  - {id: t5, stage: buy, exit: true, owners: {R: rep, A: head}}
"""
    passing_example = """\
stages: [{id: buy}]
functions: [{id: head}, {id: rep}]
touchpoints:
  - {id: t1, stage: buy, next: [t2], owners: {R: rep, A: head}}
  - {id: t2, stage: buy, exit: true, owners: {R: rep, A: rep}}
"""

    count_key = "sole_accountable_for"
    share_setting = "concentration_share"
    minimum_setting = "concentration_min"
    holds = "is the only Accountable on"
    finder = staticmethod(accountability_concentration)
