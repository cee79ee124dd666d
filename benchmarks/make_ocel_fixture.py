"""Write the OCEL 2.0 test fixture with PM4Py's own exporters (JSON, XML, SQLite).

Run in the benchmark environment (PM4Py is not a dependency of journeygraph):
    benchmarks/.peer-venv/bin/python benchmarks/make_ocel_fixture.py
The files land in tests/fixtures/ocel/; the tests read them with journeygraph
and compare with the events listed here.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd  # type: ignore[import-untyped]
import pm4py  # type: ignore[import-not-found]
from pm4py.objects.ocel.obj import OCEL  # type: ignore[import-not-found]

HERE = Path(__file__).resolve().parent
OUT = HERE.parent / "tests" / "fixtures" / "ocel"

# The events, in tests/fixtures/ocel/events.json: the tests read the same list.
EVENTS = [
    (e["id"], e["activity"], e["time"], e["resource"], e["objects"])
    for e in json.loads((OUT / "events.json").read_text(encoding="utf-8"))
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
