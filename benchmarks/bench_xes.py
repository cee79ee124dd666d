"""Benchmark of XES input: journeygraph against PM4Py's ``read_xes`` and DFG.

* the Helpdesk log (``examples/helpdesk.xes.gz``) end to end: ``journeygraph
  discover`` as a whole process, without and with its map, and the
  directly-follows counts of journeygraph and PM4Py on it, which must be equal;
* a 1M-event XES written from the same walks as ``bench_discover.py``:
  ``read_log`` + ``discover`` against ``pm4py.read_xes`` + ``pm4py.discover_dfg``,
  each in fresh processes (the median of five), in the benchmark's own
  environment (``benchmarks/.peer-venv``: PM4Py is AGPL, never a dependency).

Usage: ``python benchmarks/bench_xes.py [EVENTS]`` (default 1,000,000).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_discover import DATA, PROGRAMS, ROOT, make_log, measure_median, peer_python  # noqa: E402

HELPDESK = ROOT / "examples" / "helpdesk.xes.gz"

PROGRAMS["journeygraph (XES)"] = """
from journeygraph.evidence import read_log, discover
# work
flow = discover(read_log(PATH))
events = flow.events
dfg = {f"{a}\\t{b}": s.transitions for (a, b), s in flow.transitions.items()}
"""
PROGRAMS["pm4py read_xes + dfg"] = """
import pm4py
# work
df = pm4py.read_xes(PATH)
graph, _, _ = pm4py.discover_dfg(df)
dfg = {f"{a}\\t{b}": n for (a, b), n in graph.items()}
"""


def make_xes(events: int) -> Path:
    """The CSV log of ``bench_discover`` as XES: one trace per case, events in time order."""
    path = DATA / f"events-{events}.xes"
    if path.exists():
        return path
    rows: dict[str, list[tuple[str, str]]] = {}
    with make_log(events).open(encoding="utf-8") as handle:
        next(handle)
        for line in handle:
            case, touchpoint, stamp = line.rstrip("\n").split(",")
            rows.setdefault(case, []).append((stamp, touchpoint))
    with path.open("w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<log xes.version="1.0" '
                  'xmlns="http://www.xes-standard.org/">\n')  # fmt: skip
        for case, steps in rows.items():
            out.write(f'<trace><string key="concept:name" value={quoteattr(case)}/>\n')
            for stamp, touchpoint in sorted(steps):
                out.write(
                    f'<event><string key="concept:name" value={quoteattr(touchpoint)}/>'
                    f'<date key="time:timestamp" value="{stamp}"/></event>\n'
                )
            out.write("</trace>\n")
        out.write("</log>\n")
    return path


def cli_seconds(*args: str, runs: int = 7) -> float:
    """The median wall time of ``journeygraph ARGS`` as a whole process (bytecode cached)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    command = [str(ROOT / ".venv" / "bin" / "journeygraph"), *args, "-o", "/dev/null"]
    subprocess.run(command, check=True, env=env, capture_output=True)  # writes the .pyc files
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=False, env=env, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    python = peer_python()
    alone = cli_seconds("discover", str(HELPDESK))
    mapped = cli_seconds(
        "discover", str(HELPDESK), "--map", str(ROOT / "examples" / "helpdesk.yaml"),
        "--fail-on", "never",
    )  # fmt: skip
    ours = measure_median(python, "journeygraph (XES)", HELPDESK, 3)
    theirs = measure_median(python, "pm4py read_xes + dfg", HELPDESK, 3)
    same = ours["dfg"] == theirs["dfg"]
    print(f"- Helpdesk, `discover` as a whole process: {alone:.2f} s (goal under 1 s); with "
          f"its map: {mapped:.2f} s")  # fmt: skip
    print(f"- Helpdesk directly-follows counts equal to PM4Py's: {same} ({len(ours['dfg'])} pairs)")
    if not same:
        raise SystemExit("directly-follows counts differ from PM4Py's on the Helpdesk log")
    xes = make_xes(size)
    results: dict[str, dict[str, Any]] = {
        name: measure_median(python, name, xes, 5)
        for name in ("journeygraph (XES)", "pm4py read_xes + dfg")
    }
    if results["journeygraph (XES)"]["dfg"] != results["pm4py read_xes + dfg"]["dfg"]:
        raise SystemExit("directly-follows counts differ from PM4Py's on the XES log")
    print("| Events | Tool | Time (after imports) | Wall (process) | Peak memory |")
    print("| ---: | --- | ---: | ---: | ---: |")
    events = int(results["journeygraph (XES)"]["events"])
    for name, data in results.items():
        print(
            f"| {events:,} | {name} | {float(data['seconds']):.2f} s | "
            f"{float(data['wall']):.2f} s | {int(data['rss']) / 2**30:.2f} GB |"
        )
    ratio = float(results["pm4py read_xes + dfg"]["wall"]) / float(
        results["journeygraph (XES)"]["wall"]
    )
    print(f"\n- PM4Py / journeygraph, whole processes: {ratio:.1f}× (goal at least 5×)")


if __name__ == "__main__":
    main()
