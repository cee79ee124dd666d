"""Event logs consistent with a map, with the deviations real logs have.

Customers walk the map as a Markov chain (the map's transition weights, 1 when
not given), starting at its entries, and may stop anywhere (drop-off). On top
of the map, on purpose:

* ``live-chat``, a touchpoint the map does not have, now and then between steps;
* ``pricing-page -> demo-call``, a shortcut the map does not have;
* ``contact-form`` filled in twice (rework, a self-loop the map does not have);
* nobody files a ``feature-request`` (a designed touchpoint no one reaches).

Usage::

    python benchmarks/generate_events.py examples/b2b-saas.yaml 1500 examples/b2b-saas-events.csv
    python benchmarks/generate_events.py examples/b2b-saas.yaml 100000 /tmp/big.csv --shuffle
"""

from __future__ import annotations

import argparse
import csv
import math
import random
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from journeygraph import JourneyMap, load
from journeygraph.algorithms import entry_touchpoints

Event = tuple[str, str, str]
START = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
# Typical time between steps, by the stage the customer is in (seconds).
PACE = {
    "awareness": 600,
    "consideration": 86400,
    "decision": 3 * 86400,
    "retention": 20 * 86400,
    "advocacy": 10 * 86400,
}
MAX_STEPS = 40
DROP = 0.05
"""Chance a customer stops after a step that is not an exit."""
STAY = 0.5
"""Chance a customer stops after an exit touchpoint that has transitions."""


def walks(m: JourneyMap, customers: int, *, seed: int = 7) -> Iterator[list[Event]]:
    """One list of events per customer, in time order."""
    rng = random.Random(seed)
    entries = entry_touchpoints(m.to_networkx())
    by_id = {t.id: t for t in m.touchpoints}
    for n in range(customers):
        case = f"C{rng.randrange(16**8):08x}-{n}"
        clock = START + timedelta(seconds=rng.uniform(0, 90 * 86400))
        here = rng.choice(entries)
        events: list[Event] = []
        for _ in range(MAX_STEPS):
            events.append((case, here, clock.isoformat().replace("+00:00", "Z")))
            t = by_id[here]
            pace = PACE.get(t.stage, 3600)

            if here == "contact-form" and rng.random() < 0.2:
                clock = later(rng, clock, pace)
                events.append((case, here, clock.isoformat().replace("+00:00", "Z")))
            options = [(s.to, 1.0 if s.weight is None else s.weight) for s in t.next]
            options = [(to, w) for to, w in options if to != "feature-request"]
            if not options or (t.exit and rng.random() < STAY) or rng.random() < DROP:
                break
            if here == "pricing-page" and rng.random() < 0.15:
                nxt = "demo-call"
            else:
                nxt = rng.choices([to for to, _ in options], [w for _, w in options])[0]
            if rng.random() < 0.03:
                clock = later(rng, clock, 300)
                events.append((case, "live-chat", clock.isoformat().replace("+00:00", "Z")))
            clock = later(rng, clock, pace)
            here = nxt
        yield events


def later(rng: random.Random, clock: datetime, pace: float) -> datetime:
    """The time of the next event: around ``pace`` seconds later, log-normally."""
    return clock + timedelta(seconds=rng.lognormvariate(math.log(pace), 0.8))


def write_log(
    m: JourneyMap, customers: int, path: Path, *, seed: int = 7, shuffle: bool = False
) -> int:
    """Write a CSV log; ``shuffle`` puts rows out of case and time order."""
    rows = [event for walk in walks(m, customers, seed=seed) for event in walk]
    if shuffle:
        random.Random(seed).shuffle(rows)
    else:
        rows.sort(key=lambda e: e[2])
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["case_id", "touchpoint", "timestamp"])
        writer.writerows(rows)
    return len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("map", type=Path)
    parser.add_argument("customers", type=int)
    parser.add_argument("output", type=Path)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--shuffle", action="store_true")
    args = parser.parse_args()
    n = write_log(load(args.map), args.customers, args.output, seed=args.seed, shuffle=args.shuffle)
    print(f"wrote {args.output}: {n} events of {args.customers} customers", file=sys.stderr)


if __name__ == "__main__":
    main()
