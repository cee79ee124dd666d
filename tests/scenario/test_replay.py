"""Replay figures against a brute-force restatement of issue 28's definitions.

The restatement reads the CSV logs itself (the XES log's events as the reader
gives them), walks each customer's path in Python and counts by the issue's
words; the library does it in DuckDB, over the log's steps.
"""

from __future__ import annotations

import csv
import itertools
import statistics
import subprocess
import sys
from collections import defaultdict
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from journeygraph.evidence import discover, read_log
from journeygraph.evidence.reading.names import names_of
from journeygraph.io.load import load
from journeygraph.model import JourneyMap
from journeygraph.scenario import Scenario, apply, load_scenario
from journeygraph.scenario.replay import Replay, replay
from tests.conftest import EXAMPLES, ROOT, generated_map

Paths = dict[str, list[tuple[str, float]]]


def brute_force(paths: Paths, m: JourneyMap) -> dict[str, Any]:
    """The replay figures of ``paths`` under ``m``, from the issue's definitions."""
    responsible = {t.id: set(t.owners.responsible) for t in m.touchpoints}
    per_customer, undeclared, without_sla = [], set(), set()
    timed = over = 0
    for case, path in paths.items():
        hands = 0
        for (a, at), (b, bt) in itertools.pairwise(path):
            if a not in responsible or b not in responsible:
                continue  # a touchpoint not in the map: left out
            if a == b or not responsible[a] or not responsible[b]:
                continue
            if responsible[a] & responsible[b]:
                continue
            hands += 1
            covering = [
                h
                for h in m.handoffs
                if h.from_ in responsible[a]
                and h.to in responsible[b]
                and (not h.at or [a, b] in [list(pair) for pair in h.at])
            ]
            if not covering:
                undeclared.add(case)
                continue
            slas = [h.sla_minutes for h in covering if h.sla_minutes is not None]
            if not slas:
                without_sla.add(case)
                continue
            timed += 1
            over += (bt - at) > max(slas) * 60
        per_customer.append(hands)
    return {
        "customers": len(paths),
        "changes_of_hands": sum(per_customer),
        "mean": statistics.fmean(per_customer),
        "median": statistics.median(per_customer),
        "p90": float(np.percentile(per_customer, 90)),  # linear, as the library says
        "customers_undeclared": len(undeclared),
        "customers_without_sla": len(without_sla),
        "timed_waits": timed,
        "waits_over_sla": over,
    }


def figures(r: Replay) -> dict[str, Any]:
    return {
        "customers": r.customers,
        "changes_of_hands": r.changes_of_hands,
        "mean": pytest.approx(r.mean),
        "median": pytest.approx(r.median),
        "p90": pytest.approx(r.p90),
        "customers_undeclared": r.customers_undeclared,
        "customers_without_sla": r.customers_without_sla,
        "timed_waits": r.timed_waits,
        "waits_over_sla": r.waits_over_sla,
    }


def csv_paths(path: Path) -> Paths:
    """Each case's touchpoints in time order (file order among equal times), read here."""
    events: dict[str, list[tuple[float, int, str]]] = defaultdict(list)
    with path.open(encoding="utf-8", newline="") as f:
        for row_number, row in enumerate(csv.DictReader(f)):
            seconds = datetime.fromisoformat(row["timestamp"]).timestamp()
            events[row["case_id"]].append((seconds, row_number, row["touchpoint"]))
    return {case: [(t, s) for s, _, t in sorted(rows)] for case, rows in events.items()}


def reader_paths(log: Any) -> Paths:
    """Each case's touchpoints in time order, from the reader's events."""
    paths: Paths = defaultdict(list)
    for case, touchpoint, ts, _ in log.connection.execute(
        "SELECT case_id, touchpoint, ts, seq FROM events ORDER BY case_id, ts, seq"
    ).fetchall():
        paths[str(case)].append((str(touchpoint), float(ts)))
    return dict(paths)


def replayed(log_file: Path, organisations: list[JourneyMap]) -> tuple[Any, list[Replay]]:
    names = names_of(organisations[0])
    log = read_log(log_file, names=names.touchpoints, performers=names.performers)
    return log, replay(discover(log), organisations)


def test_the_b2b_example_and_its_redesign() -> None:
    as_is = load(EXAMPLES / "b2b-saas.yaml")
    to_be = apply(as_is, load_scenario(EXAMPLES / "scenarios" / "b2b-saas-agreed-handoff.yaml"))
    _, found = replayed(EXAMPLES / "b2b-saas-events.csv", [as_is, to_be])
    paths = csv_paths(EXAMPLES / "b2b-saas-events.csv")
    assert [figures(r) for r in found] == [brute_force(paths, m) for m in (as_is, to_be)]
    # The redesign declares the handoff to fulfilment: fewer customers meet an undeclared one.
    assert found[1].customers_undeclared < found[0].customers_undeclared
    assert found[1].changes_of_hands == found[0].changes_of_hands


def test_the_helpdesk_example_with_its_xes_log() -> None:
    as_is = load(EXAMPLES / "helpdesk.yaml")
    with_slas = Scenario.model_validate(
        {
            "version": 1,
            "changes": [
                {"rescope_handoff": {"from": h.from_, "to": h.to, "sla": "1h"}}
                for h in as_is.handoffs[:3]
            ],
        }
    )
    to_be = apply(as_is, with_slas)
    log, found = replayed(EXAMPLES / "helpdesk.xes.gz", [as_is, to_be])
    paths = reader_paths(log)
    assert [figures(r) for r in found] == [brute_force(paths, m) for m in (as_is, to_be)]
    assert found[0].changes_of_hands > 0


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_generated_maps_and_logs(seed: int, tmp_path: Path) -> None:
    as_is = load(generated_map(tmp_path, touchpoints=60, functions=12))
    log_file = tmp_path / "events.csv"
    script = ROOT / "benchmarks" / "generate_events.py"
    subprocess.run(
        [
            sys.executable,
            str(script),
            str(tmp_path / "generated-60.yaml"),
            "300",
            str(log_file),
            "--seed",
            str(seed),
        ],
        check=True,
        capture_output=True,
    )
    owned = [t for t in as_is.touchpoints if t.owners.responsible]
    other = next(f.id for f in as_is.functions if f.id not in owned[seed].owners.responsible)
    changes: list[dict[str, Any]] = [
        {"move_role": {"touchpoint": owned[seed].id, "role": "R", "to": other}},
    ]
    if as_is.handoffs:
        first, last = as_is.handoffs[0], as_is.handoffs[-1]
        changes.append({"rescope_handoff": {"from": first.from_, "to": first.to, "sla": "30m"}})
        changes.append({"remove_handoff": {"from": last.from_, "to": last.to}})
    to_be = apply(as_is, Scenario.model_validate({"version": 1, "changes": changes}))
    _, found = replayed(log_file, [as_is, to_be])
    paths = csv_paths(log_file)
    assert [figures(r) for r in found] == [brute_force(paths, m) for m in (as_is, to_be)]
    assert found[0].changes_of_hands > 0
