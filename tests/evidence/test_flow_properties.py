"""Discovery against a straightforward pure-Python computation, on random logs."""

from __future__ import annotations

import csv
import itertools
import statistics
import tempfile
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

import journeygraph.evidence.discovery.flow as flow_module
from journeygraph.evidence import Columns, discover, read_log

TOUCHPOINTS = ["ad", "shop", "pay", "chat", "Café ü"]


def _quantile(values: list[float], q: float) -> float:
    """Linear interpolation between closest ranks (DuckDB's quantile_cont)."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _expected(rows: list[tuple[str, str, int]]) -> dict[str, Any]:
    by_case: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for order, (case, tp, time) in enumerate(rows):
        by_case[case].append((time, order, tp))
    pairs: Counter[tuple[str, str]] = Counter()
    pair_cases: dict[tuple[str, str], set[str]] = defaultdict(set)
    gaps: dict[tuple[str, str], list[float]] = defaultdict(list)
    events: Counter[str] = Counter()
    starts: Counter[str] = Counter()
    ends: Counter[str] = Counter()
    visitors: dict[str, Counter[str]] = defaultdict(Counter)
    for case, steps in by_case.items():
        steps.sort()
        starts[steps[0][2]] += 1
        ends[steps[-1][2]] += 1
        for _, _, tp in steps:
            events[tp] += 1
            visitors[tp][case] += 1
        for (t1, _, a), (t2, _, b) in itertools.pairwise(steps):
            pairs[(a, b)] += 1
            pair_cases[(a, b)].add(case)
            gaps[(a, b)].append(float(t2 - t1))
    return {
        "cases": len(by_case),
        "transitions": {
            ab: (n, len(pair_cases[ab]), statistics.median(gaps[ab]), _quantile(gaps[ab], 0.9))
            for ab, n in pairs.items()
        },
        "touchpoints": {
            tp: (
                events[tp],
                len(visitors[tp]),
                starts[tp],
                ends[tp],
                sum(1 for n in visitors[tp].values() if n > 1),
            )
            for tp in events
        },
    }


logs = st.lists(
    st.tuples(
        st.sampled_from(["c1", "c2", "c3", "c 4", "ç5"]),
        st.sampled_from(TOUCHPOINTS),
        st.integers(0, 20),  # few distinct times: many ties
    ),
    min_size=1,
    max_size=60,
)


@settings(max_examples=100, deadline=None)
@given(logs)
def test_discovery_equals_a_pure_python_count(rows: list[tuple[str, str, int]]) -> None:
    _check(rows)


@settings(max_examples=30, deadline=None)
@given(logs)
def test_case_ids_of_the_same_hash_stay_apart(rows: list[tuple[str, str, int]]) -> None:
    # A key under which most ids collide stands in for two ids of the same
    # 64-bit hash: discovery must notice and partition by the ids themselves.
    with mock.patch.object(flow_module, "CASE_KEYS", ("length(case_id) % 2", "case_id")):
        _check(rows)


@settings(max_examples=20, deadline=None)
@given(logs)
def test_logs_of_2_to_the_32_rows_or_more_number_events_in_64_bits(
    rows: list[tuple[str, str, int]],
) -> None:
    with mock.patch.object(flow_module, "SEQ_32_BITS_BELOW", 1):
        _check(rows)


def _check(rows: list[tuple[str, str, int]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "events.csv"
        with path.open("w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(["case_id", "touchpoint", "timestamp"])
            writer.writerows(rows)
        flow = discover(read_log(path))
        want = _expected(rows)
        assert flow.cases == want["cases"]
        assert flow.events == len(rows)
        got_transitions = {
            ab: (s.transitions, s.customers, s.median_seconds, s.p90_seconds)
            for ab, s in flow.transitions.items()
        }
        assert got_transitions.keys() == want["transitions"].keys()
        for ab, (n, customers, median, p90) in want["transitions"].items():
            got = got_transitions[ab]
            assert got[:2] == (n, customers), ab
            assert abs(got[2] - median) < 1e-9, ab
            assert abs(got[3] - p90) < 1e-9, ab
        assert {
            tp: (s.events, s.customers, s.starts, s.ends, s.repeat_customers)
            for tp, s in flow.touchpoints.items()
        } == want["touchpoints"]


performed_logs = st.lists(
    st.tuples(
        st.sampled_from(["c1", "c2", "c3", "c 4", "ç5"]),
        st.sampled_from(TOUCHPOINTS),
        st.integers(0, 20),  # few distinct times: many ties
        st.sampled_from(["ann", "bob", "Zoë", ""]),  # "": no performer given
    ),
    min_size=1,
    max_size=60,
)


def _expected_handovers(
    rows: list[tuple[str, str, int, str]],
) -> dict[tuple[str, str], tuple[int, int, dict[tuple[str, str], int]]]:
    """Per (giver, taker): steps, customers and steps per pair of touchpoints, counted on
    each case's events in time order (ties in file order)."""
    by_case: dict[str, list[tuple[int, int, str, str]]] = defaultdict(list)
    for order, (case, tp, time, who) in enumerate(rows):
        by_case[case].append((time, order, tp, who))
    steps: Counter[tuple[str, str]] = Counter()
    cases: dict[tuple[str, str], set[str]] = defaultdict(set)
    at: dict[tuple[str, str], Counter[tuple[str, str]]] = defaultdict(Counter)
    for case, events in by_case.items():
        events.sort()
        for (_, _, a, giver), (_, _, b, taker) in itertools.pairwise(events):
            if giver and taker and giver != taker:
                steps[(giver, taker)] += 1
                cases[(giver, taker)].add(case)
                at[(giver, taker)][(a, b)] += 1
    return {pair: (n, len(cases[pair]), dict(at[pair])) for pair, n in steps.items()}


@settings(max_examples=60, deadline=None)
@given(performed_logs, st.booleans())
def test_handovers_equal_a_pure_python_count(
    rows: list[tuple[str, str, int, str]], collide: bool
) -> None:
    # The handover steps come from the same window as the steps; with ``collide``,
    # from the window partitioned by the case ids themselves (a hash collision).
    keys = ("length(case_id) % 2", "case_id") if collide else flow_module.CASE_KEYS
    with (
        tempfile.TemporaryDirectory() as folder,
        mock.patch.object(flow_module, "CASE_KEYS", keys),
    ):
        path = Path(folder) / "events.csv"
        with path.open("w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(["case_id", "touchpoint", "timestamp", "who"])
            writer.writerows(rows)
        flow = discover(read_log(path, columns=Columns(performer="who")))
        got = {(h.giver, h.taker): (h.steps, h.customers, dict(h.at)) for h in flow.handovers}
        assert got == _expected_handovers(rows)
        assert flow.cases == len({case for case, *_ in rows})
