"""The comparison on a hand-made log: weights, handoffs in practice, expectations, config."""

from __future__ import annotations

import csv
import itertools
from collections import Counter
from pathlib import Path

import pytest

from journeygraph import AuditConfig, audit, load
from journeygraph.evidence import Evidence, compare, discover, read_log
from journeygraph.evidence.comparison import _facts
from journeygraph.testing import fragment
from tests.conftest import EXAMPLES

MAP = """
stages: [{id: s1, metrics: [m]}, {id: s2, metrics: [m]}]
functions: [{id: mkt}, {id: sales}, {id: ops}]
handoffs: [{from: sales, to: ops}]
touchpoints:
  - {id: ad, stage: s1, owners: {R: mkt, A: mkt}, next: [shop]}
  - {id: shop, stage: s2, owners: {R: sales, A: sales}, next: [ship]}
  - {id: ship, stage: s2, exit: true, owners: {R: ops, A: ops}}
"""
LOG = """case_id,touchpoint,timestamp
c1,ad,0
c1,shop,100
c1,ship,400
c2,ad,0
c2,shop,300
c3,ad,0
c3,shop,50
c3,ship,250
c4,ad,0
"""


@pytest.fixture
def evidence(tmp_path: Path) -> Evidence:
    log = tmp_path / "events.csv"
    log.write_text(LOG, encoding="utf-8")
    return compare(fragment(MAP), discover(read_log(log)))


def test_audit_findings_carry_the_customers_they_touch(evidence: Evidence) -> None:
    (gap,) = [f for f in evidence.audit.findings if f.rule == "handoff-gap"]
    assert gap.entities == ("ad", "shop")
    assert (gap.details["customers"], gap.details["share"]) == (3, 0.75)
    customers = [f.details["customers"] for f in evidence.audit.findings]
    assert customers == sorted(customers, reverse=True)


def test_handoffs_in_practice(evidence: Evidence) -> None:
    h = evidence.handoffs
    assert (h.median, h.p90, h.mean, h.customers_handed) == (1.5, 2.0, 1.25, 3)
    assert [(s.from_touchpoint, s.to_touchpoint, s.median_seconds) for s in h.slowest] == [
        ("shop", "ship", 250.0),
        ("ad", "shop", 100.0),
    ]
    assert [row.to_dict() for row in h.network] == [
        {"from": "mkt", "to": "sales", "customers": 3, "steps": 3, "declared": False},
        {"from": "sales", "to": "ops", "customers": 2, "steps": 2, "declared": True},
    ]


def test_expected_changes_of_hands_from_the_log_and_the_map(evidence: Evidence) -> None:
    log = evidence.expected["log"]
    assert (log.steps, log.changes_of_hands, log.loop_steps) == (1.25, 1.25, 0.0)
    designed = evidence.expected["map"]
    assert (designed.steps, designed.changes_of_hands) == (2.0, 2.0)


def test_conformance_findings_follow_the_maps_settings(tmp_path: Path) -> None:
    log = tmp_path / "events.csv"
    log.write_text(LOG, encoding="utf-8")
    flow = discover(read_log(log))
    m = fragment(MAP)
    assert [f.rule for f in compare(m, flow).conformance.findings] == ["drop-off", "drop-off"]
    config = AuditConfig.model_validate(
        {
            "severity": {"drop-off": "info"},
            "waivers": [{"rule": "drop-off", "entities": ["shop"], "reason": "Known."}],
        }
    )
    result = compare(m, flow, config=config).conformance
    assert [(f.rule, f.severity.value, f.entities) for f in result.findings] == [
        ("drop-off", "info", ("ad",))
    ]
    assert [f.waiver for f in result.waived] == ["Known."]


def test_waivers_of_checks_are_valid_in_maps_and_not_stale_for_the_audit() -> None:
    m = fragment(
        MAP
        + "audit:\n  waivers: [{rule: drop-off, entities: [ad], reason: Seasonal.}]\n"
        + "  disable: [rework]\n"
    )
    assert m.audit.disable == ["rework"]
    assert [w.rule for w in m.audit.waivers] == ["drop-off"]
    assert audit(m).unused_waivers == []


def test_findings_touching_as_many_customers_sort_as_the_audit_does(tmp_path: Path) -> None:
    text = """
stages: [{id: s1}]
functions: [{id: mkt}]
touchpoints:
  - {id: ad, stage: s1, owners: {R: mkt, A: mkt}, next: [shop]}
  - {id: shop, stage: s1}
"""
    log = tmp_path / "events.csv"
    log.write_text("case_id,touchpoint,timestamp\nc1,ad,1\nc1,shop,2\n", encoding="utf-8")
    m = fragment(text)
    designed = [(f.rule, f.entities) for f in audit(m).findings]
    weighted = compare(m, discover(read_log(log))).audit.findings
    tied = [f for f in weighted if f.details["customers"] == 1]
    # Several severities touch the one customer: the tie is decided as the audit orders.
    assert len({f.severity for f in tied}) >= 3
    assert [(f.rule, f.entities) for f in tied] == [
        k for k in designed if k in {(f.rule, f.entities) for f in tied}
    ]
    ranks = [f.severity.rank for f in tied]
    assert ranks == sorted(ranks, reverse=True)


def test_loop_traffic_counts_only_customers_who_went_round() -> None:
    """Against the definition, on the example log: a customer goes round a loop when
    they visit one of its touchpoints more than once; only their steps inside count."""
    m = load(EXAMPLES / "b2b-saas.yaml")
    flow = discover(read_log(EXAMPLES / "b2b-saas-events.csv"))
    G = m.to_networkx()
    facts = _facts(m, G, flow)
    with (EXAMPLES / "b2b-saas-events.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    paths: dict[str, list[tuple[str, int, str]]] = {}
    for i, row in enumerate(rows):
        paths.setdefault(row["case_id"], []).append((row["timestamp"], i, row["touchpoint"]))
    edges = {(t.id, s.to) for t in m.touchpoints for s in t.next}
    expected = {}
    for f in audit(m).findings:
        if f.rule != "loop":
            continue
        members = set(f.entities)
        customers, steps = 0, 0
        for path in paths.values():
            visits = [tp for _, _, tp in sorted(path)]
            if any(n > 1 for tp, n in Counter(visits).items() if tp in members):
                customers += 1
                steps += sum(
                    (a, b) in edges and a in members and b in members
                    for a, b in itertools.pairwise(visits)
                )
        if customers:
            expected[f.entities] = (customers, steps)
    assert expected
    assert facts.loop_traffic == expected
