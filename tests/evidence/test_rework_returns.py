"""Second visits that are rework, path by path, against a brute force over the log.

A customer's return to a touchpoint is rework unless one of the map's intended-cycle
steps was among their steps since their last visit there (issue 25, item 5). The brute
force walks each case's events in order, from the definition; the library counts in
DuckDB.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from journeygraph.evidence import compare, discover, read_log
from journeygraph.io.load import loads
from journeygraph.rule_ids import REWORK

# form is in a rework loop (form -> form, check -> form) and on the retention cycle
# (renew -> quote); quote and renew only on the cycle; "help" is in no map.
MAP = """\
version: 1
journey: {id: j, name: J}
stages: [{id: buy}, {id: keep}]
touchpoints:
  - {id: quote, stage: buy, entry: true, next: [form]}
  - {id: form, stage: buy, next: [form, check]}
  - {id: check, stage: buy, next: [form, renew]}
  - id: renew
    stage: keep
    exit: true
    next: [{to: quote, cycle: retention, reason: customers switch product}]
audit:
  thresholds: {rework_share: 0.0001}
"""
INTENDED = {("renew", "quote")}
TOUCHPOINTS = ["quote", "form", "check", "renew", "help"]


def brute_force(cases: list[list[str]]) -> dict[str, int]:
    """Per touchpoint, the customers with a return to it made with no intended step since
    their last visit there."""
    customers: dict[str, set[int]] = {}
    for number, path in enumerate(cases):
        last: dict[str, int] = {}
        for place, tp in enumerate(path):
            if tp in last:
                steps = zip(path[last[tp] : place], path[last[tp] + 1 : place + 1], strict=True)
                if not any(step in INTENDED for step in steps):
                    customers.setdefault(tp, set()).add(number)
            last[tp] = place
    return {tp: len(who) for tp, who in customers.items()}


@settings(max_examples=40, deadline=None)
@given(cases=st.lists(st.lists(st.sampled_from(TOUCHPOINTS), min_size=1, max_size=9), min_size=1))
def test_second_visits_are_counted_path_by_path(
    cases: list[list[str]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder: Path = tmp_path_factory.mktemp("log")
    log = folder / "events.csv"
    rows = ["case_id,touchpoint,timestamp"]
    rows += [f"c{n},{tp},{t}" for n, path in enumerate(cases) for t, tp in enumerate(path, 1)]
    log.write_text("\n".join(rows) + "\n", encoding="utf-8")
    m = loads(MAP)
    found = {
        finding.entities[0]: finding.details["customers"]
        for finding in compare(m, discover(read_log(log))).conformance.findings
        if finding.rule == REWORK and "back_steps" not in finding.details
    }
    assert found == brute_force(cases)
