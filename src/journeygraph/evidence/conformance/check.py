"""What a log check is: a rule over the map and what customers did."""

from __future__ import annotations

from typing import ClassVar

from journeygraph.evidence.conformance.context import EvidenceContext
from journeygraph.rules.base import Rule

__all__ = ["AD_SHOP_PAY", "LOG_HEADER", "SALES_DEMO", "LogCheck"]

LOG_HEADER = "case_id,touchpoint,timestamp\n"
"""The header added before the rows of an example's (or a test case's) log."""

AD_SHOP_PAY = """\
stages: [{id: s}]
touchpoints:
  - {id: ad, stage: s, next: [shop]}
  - {id: shop, stage: s, next: [pay]}
  - {id: pay, stage: s, exit: true}
"""
"""The map most log checks' examples run on: ad, then shop, then pay (an exit)."""

SALES_DEMO = """\
stages: [{id: s}]
functions: [{id: sales}, {id: support}]
touchpoints:
  - {id: demo, stage: s, exit: true, owners: {R: sales, A: sales}}
"""
"""The map the performer checks' examples run on: Sales does the demo, Support has no role."""


class LogCheck(Rule[EvidenceContext]):
    """A check of the map against an event log; registered in ``evidence_registry``.

    Its examples are a map fragment each, as for audit rules, plus the log that
    goes with it: CSV rows ``case,touchpoint,time`` (the header is added, so
    the first row is line 2 of the log).
    """

    kind = "log check"

    failing_log: ClassVar[str]
    passing_log: ClassVar[str]

    required = (*Rule.required, "failing_log", "passing_log")
