"""The comparison on a hand-made log: weights, handoffs in practice, expectations, config."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from journeygraph import AuditConfig, audit, load
from journeygraph.evidence import Evidence, compare, discover, read_log
from journeygraph.evidence.conformance.facts import log_facts
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


def _brute_loop_traffic(
    m_file: Path, log_file: Path
) -> dict[tuple[str, ...], tuple[int, int, dict[tuple[str, str, str], tuple[int, int]], Any]]:
    """The loop figures from their definitions, over the map file and the log file alone.

    Across stages, a customer goes round a loop when they take one of its back edges
    (a map transition inside the loop to a touchpoint of an earlier stage: a flywheel
    from the last stage to the first, else a regression); within a stage, when they
    step between two of its touchpoints arriving at one they had already visited.
    The extra time of a step back is the time from leaving its touchpoint to the next
    visit there; a customer's is the sum; the figure is the median over customers.
    """
    import datetime as dt
    import statistics

    import yaml

    data = yaml.safe_load(m_file.read_text(encoding="utf-8"))
    position = {s["id"]: k for k, s in enumerate(data["stages"])}
    last = len(data["stages"]) - 1
    stage = {t["id"]: position[t["stage"]] for t in data["touchpoints"]}
    edges = {
        (t["id"], n if isinstance(n, str) else n["to"])
        for t in data["touchpoints"]
        for n in t.get("next") or []
    }
    with log_file.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    paths: dict[str, list[tuple[float, int, str]]] = {}
    for k, row in enumerate(rows):
        when = dt.datetime.fromisoformat(row["timestamp"]).timestamp()
        paths.setdefault(row["case_id"], []).append((when, k, row["touchpoint"]))
    m = load(m_file)
    found = {}
    for f in audit(m).findings:
        if f.rule != "loop":
            continue
        members = set(f.entities)
        within = len({stage[t] for t in members}) == 1
        back = {
            (a, b): "flywheel" if stage[a] == last and stage[b] == 0 else "regression"
            for a, b in edges
            if a in members and b in members and stage[b] < stage[a]
        }
        customers, rounds = 0, 0
        ways: dict[tuple[str, str, str], list[int]] = {}
        extras = []
        for path in paths.values():
            visits = sorted(path)
            taken: set[tuple[str, str, str]] = set()
            extra, regained = 0.0, False
            for i, way in _steps_back(visits, members if within else None, back):
                t0, a = visits[i][0], way[0]
                rounds += 1
                taken.add(way)
                ways.setdefault(way, [0, 0])[1] += 1
                again = [t for t, _, v in visits[i + 1 :] if v == a]
                if again:
                    extra += again[0] - t0
                    regained = True
            if taken:
                customers += 1
                for way in taken:
                    ways[way][0] += 1
                if regained:
                    extras.append(extra)
        if customers:
            found[f.entities] = (
                customers,
                rounds,
                {k: (v[0], v[1]) for k, v in ways.items()},
                statistics.median(extras) if extras else None,
            )
    return found


def _steps_back(
    visits: list[tuple[float, int, str]], within: set[str] | None, back: dict[tuple[str, str], str]
) -> Iterator[tuple[int, tuple[str, str, str]]]:
    """(place, (from, to, kind)) of each step back of one customer: within a stage's
    loop (``within``, its touchpoints) or along the back edges of one across stages."""
    for i in range(len(visits) - 1):
        a, b = visits[i][2], visits[i + 1][2]
        if within is not None:
            earlier = {v for _, _, v in visits[: i + 1]}
            if a in within and b in within and b in earlier:
                yield i, (a, b, "repeat")
        elif (a, b) in back:
            yield i, (a, b, back[(a, b)])


def test_loop_traffic_against_the_definitions() -> None:
    """Against the definitions, by brute force over the example's map and log files."""
    m = load(EXAMPLES / "b2b-saas.yaml")
    flow = discover(read_log(EXAMPLES / "b2b-saas-events.csv"))
    facts = log_facts(m, m.to_networkx(), flow)
    expected = _brute_loop_traffic(EXAMPLES / "b2b-saas.yaml", EXAMPLES / "b2b-saas-events.csv")
    assert expected
    got = {
        members: (
            t.customers,
            t.rounds,
            {(w.source, w.target, w.kind): (w.customers, w.times) for w in t.steps},
            t.extra_seconds,
        )
        for members, t in facts.loop_traffic.items()
    }
    assert got.keys() == expected.keys()
    for members, (customers, rounds, ways, extra) in expected.items():
        c, r, w, e = got[members]
        assert (c, r, w) == (customers, rounds, ways), members
        assert e == pytest.approx(extra), members
    # The figures: the 22-touchpoint loop, by its three back edges.
    (big,) = [t for members, t in facts.loop_traffic.items() if len(members) == 22]
    assert big.customers == 452
    assert [(w.kind, w.customers) for w in big.steps] == [
        ("regression", 209),
        ("regression", 111),
        ("flywheel", 246),
    ]
    # Regressions named first in the finding's message, with units a client can use.
    ev = compare(m, flow)
    (loop,) = [f for f in ev.conformance.findings if len(f.entities) == 22]
    assert loop.message.startswith("452 customers (30%) went round the loop")
    assert loop.message.index("(regression)") < loop.message.index("(flywheel)")
    assert "steps back per customer who went round" in loop.message
    assert "steps inside it" not in loop.message
    # The audit's loop finding touches the same customers: those who went round it.
    (designed,) = [f for f in ev.audit.findings if f.rule == "loop" and len(f.entities) == 22]
    assert designed.details["customers"] == 452


def test_expected_figures_say_what_they_come_from(tmp_path: Path) -> None:
    import yaml

    log = tmp_path / "events.csv"
    log.write_text(LOG, encoding="utf-8")
    for m, file in [(fragment(MAP), None), (load(EXAMPLES / "b2b-saas.yaml"), "b2b-saas.yaml")]:
        data = yaml.safe_load((EXAMPLES / file).read_text()) if file else yaml.safe_load(MAP)
        weighted = any(
            isinstance(n, dict) and "weight" in n
            for t in data["touchpoints"]
            for n in t.get("next") or []
        )
        ev = compare(m, discover(read_log(log)))
        assert ev.expected_from["map"] == (
            "the map's weights" if weighted else "the map, equal shares (it gives no weights)"
        )
        assert ev.expected_from["log"] == "the log's frequencies"
