"""Write the OCEL 2.0 test fixture with PM4Py's own exporters (JSON, XML, SQLite).

Run in the benchmark environment (PM4Py is not a dependency of journeygraph):
    benchmarks/.peer-venv/bin/python benchmarks/make_ocel_fixture.py
The files land in tests/fixtures/ocel/; the tests read them with journeygraph
and compare with the events listed here.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd  # type: ignore[import-untyped]
import pm4py  # type: ignore[import-not-found]
from pm4py.objects.ocel.obj import OCEL  # type: ignore[import-not-found]

HERE = Path(__file__).resolve().parent
OUT = HERE.parent / "tests" / "fixtures" / "ocel"

# (event id, activity, time, resource, related objects)
EVENTS = [
    ("e1", "place order", "2024-01-01T09:00:00", "Ana", ["o1", "i1", "i2", "c1"]),
    ("e2", "place order", "2024-01-01T09:30:00", "Ana", ["o2", "i3", "c2"]),
    ("e3", "confirm order", "2024-01-01T10:00:00", "Bo", ["o1", "o2"]),
    ("e4", "pick item", "2024-01-01T11:00:00", "Cy", ["i1", "o1"]),
    ("e5", "pick item", "2024-01-01T11:30:00", "Cy", ["i2", "o1"]),
    ("e6", "ship", "2024-01-01T12:00:00", "Bo", ["o1"]),
    ("e7", "pay", "2024-01-01T13:00:00", "Dee", ["o2", "c2"]),
    ("e8", "place order", "2024-01-01T14:00:00", "Ana", ["o3", "i4", "c1"]),
]
TYPES = {"o": "order", "i": "item", "c": "customer"}


def main() -> None:
    events = pd.DataFrame(
        [
            {
                "ocel:eid": e,
                "ocel:activity": a,
                "ocel:timestamp": pd.Timestamp(t),
                "org:resource": r,
            }
            for e, a, t, r, _ in EVENTS
        ]
    )
    objects = pd.DataFrame(
        [
            {"ocel:oid": o, "ocel:type": TYPES[o[0]], "channel": "web" if o != "o2" else "store"}
            for o in sorted({o for *_, related in EVENTS for o in related})
        ]
    )
    relations = pd.DataFrame(
        [
            {
                "ocel:eid": e,
                "ocel:activity": a,
                "ocel:timestamp": pd.Timestamp(t),
                "ocel:oid": o,
                "ocel:type": TYPES[o[0]],
                "ocel:qualifier": TYPES[o[0]],
            }
            for e, a, t, _, related in EVENTS
            for o in related
        ]
    )
    ocel = OCEL(events=events, objects=objects, relations=relations)
    OUT.mkdir(parents=True, exist_ok=True)
    pm4py.write_ocel2_json(ocel, str(OUT / "orders.jsonocel"))
    pm4py.write_ocel2_xml(ocel, str(OUT / "orders.xmlocel"))
    pm4py.write_ocel2_sqlite(ocel, str(OUT / "orders.sqlite"))


if __name__ == "__main__":
    main()
