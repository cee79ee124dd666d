"""Benchmark of discovery from an event log: journeygraph against PM4Py.

PM4Py is AGPL: it is never a dependency of journeygraph. This script installs
it, with Polars, in a separate virtual environment (``benchmarks/.peer-venv``)
and runs every measurement there, each in a fresh process, end to end from
the same CSV file:

* ``journeygraph``: ``read_log`` + ``discover`` (DuckDB): directly-follows
  counts, customers, median and 90th percentile times per pair, and per
  touchpoint events, customers, starts, ends and repeat visits;
* ``pm4py (pandas)``: ``pandas.read_csv`` + ``pm4py.format_dataframe`` +
  ``pm4py.discover_dfg``;
* ``pm4py (polars)``: ``polars.scan_csv`` (timestamps parsed) +
  ``pm4py.discover_dfg`` on the LazyFrame;
* ``polars (hand-written count)``: the least a directly-follows count takes:
  read, parse times, sort each case, shift, group and count, in Polars.

The logs are walks of customers through ``examples/b2b-saas.yaml`` (loops and
rework included), with string case ids and rows out of case order. The
directly-follows counts of the three must be identical; the script stops if
they are not.

Usage: ``python benchmarks/bench_discover.py [EVENTS ...]`` (default 1,000,000
and 10,000,000). Logs are cached in ``benchmarks/.data``. Each tool runs in
fresh processes, nine times up to 2,000,000 events and three times above, and
the median run is reported.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PEER = HERE / ".peer-venv"
DATA = HERE / ".data"
sys.path.insert(0, str(HERE))

from generate_events import walks  # noqa: E402

# Each program: imports, then "# work" and what is timed.
PROGRAMS = {
    "journeygraph": """
from journeygraph.evidence import read_log, discover
# work
flow = discover(read_log(PATH))
events = flow.events
dfg = {f"{a}\\t{b}": s.transitions for (a, b), s in flow.transitions.items()}
""",
    "pm4py (pandas)": """
import pandas as pd, pm4py
# work
df = pd.read_csv(PATH)
df = pm4py.format_dataframe(df, case_id="case_id", activity_key="touchpoint",
                            timestamp_key="timestamp")
graph, _, _ = pm4py.discover_dfg(df)
dfg = {f"{a}\\t{b}": n for (a, b), n in graph.items()}
""",
    "pm4py (polars)": """
import polars as pl, pm4py
# work
lf = pl.scan_csv(PATH).with_columns(
    pl.col("timestamp").str.to_datetime(time_zone="UTC"))
graph, _, _ = pm4py.discover_dfg(lf, case_id_key="case_id", activity_key="touchpoint",
                                 timestamp_key="timestamp")
dfg = {f"{a}\\t{b}": n for (a, b), n in graph.items()}
""",
    "polars (hand-written count)": """
import polars as pl
# work
df = (
    pl.read_csv(PATH)
    .with_columns(pl.col("timestamp").str.to_datetime(time_zone="UTC"))
    .with_row_index("seq")
    .sort(["case_id", "timestamp", "seq"])
    .with_columns(pl.col("touchpoint").shift(-1).over("case_id").alias("next"))
)
counts = df.filter(pl.col("next").is_not_null()).group_by(["touchpoint", "next"]).len()
dfg = {f"{a}\\t{b}": n for a, b, n in counts.iter_rows()}
""",
}

HARNESS = """
import json, resource, sys, time
PATH = sys.argv[1]
{imports}
start = time.perf_counter()
{work}
seconds = time.perf_counter() - start
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
json.dump({{"seconds": seconds, "rss": rss, "dfg": dfg, "events": globals().get("events")}},
          open(sys.argv[2], "w"))
"""


def peer_python() -> Path:
    """The benchmark environment's Python, created on first use."""
    python = PEER / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(PEER)], check=True)
        subprocess.run(
            [
                str(python),
                "-m",
                "pip",
                "install",
                "-q",
                "pm4py",
                "polars",
                "pyarrow",
                "-e",
                str(ROOT),
            ],
            check=True,
        )
    return python


def make_log(events: int) -> Path:
    """A log of about ``events`` events (whole customers), rows shuffled within
    blocks of 13,000 customers."""
    DATA.mkdir(exist_ok=True)
    path = DATA / f"events-{events}.csv"
    if path.exists():
        return path
    sys.path.insert(0, str(ROOT / "src"))
    from journeygraph import load

    m = load(ROOT / "examples" / "b2b-saas.yaml")
    rng = random.Random(11)
    written = 0
    seed = 0
    with path.open("w", encoding="utf-8") as out:
        out.write("case_id,touchpoint,timestamp\n")
        while written < events:
            block: list[tuple[str, str, str]] = []
            for walk in walks(m, 13_000, seed=seed):
                if written + len(block) + len(walk) > events:
                    break
                block += walk
            seed += 1
            if not block:
                break
            block = [(f"{case}-{seed}", tp, ts) for case, tp, ts in block]
            rng.shuffle(block)
            out.writelines(f"{c},{t},{s}\n" for c, t, s in block)
            written += len(block)
    return path


def measure(python: Path, name: str, log: Path) -> dict[str, Any]:
    result = DATA / "result.json"
    imports, work = PROGRAMS[name].split("# work")
    script = HARNESS.format(imports=imports, work=work)
    wall = time.perf_counter()
    subprocess.run(
        [str(python), "-c", script, str(log), str(result)],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    data: dict[str, Any] = json.loads(result.read_text())
    data["wall"] = time.perf_counter() - wall
    return data


def measure_median(python: Path, name: str, log: Path, runs: int) -> dict[str, Any]:
    """The run of median time among ``runs`` fresh processes."""
    results = sorted((measure(python, name, log) for _ in range(runs)), key=lambda d: d["seconds"])
    return results[len(results) // 2]


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [1_000_000, 10_000_000]
    python = peer_python()
    print(
        "| Events | Tool | Time (after imports) | Wall (process) | Peak memory | vs journeygraph |"
    )
    print("| ---: | --- | ---: | ---: | ---: | ---: |")
    goals: list[str] = []
    for size in sizes:
        log = make_log(size)
        # Runs vary (the machine is shared): the median of nine, of three when
        # a PM4Py run takes minutes.
        runs = 9 if size <= 2_000_000 else 3
        results = {name: measure_median(python, name, log, runs) for name in PROGRAMS}
        reference = results["journeygraph"]["dfg"]
        for name, data in results.items():
            if data["dfg"] != reference:
                raise SystemExit(f"{name}: directly-follows counts differ from journeygraph's")
        ours = float(results["journeygraph"]["seconds"])
        events = int(results["journeygraph"]["events"])
        for name, data in results.items():
            seconds = float(data["seconds"])
            rss = int(data["rss"]) / 2**30
            print(
                f"| {events:,} | {name} | {seconds:.2f} s | {float(data['wall']):.2f} s | "
                f"{rss:.2f} GB | {seconds / ours:.1f}× |"
            )
        print(f"|  | (identical directly-follows counts: {len(reference)} pairs) | | | | |")
        wall = {name: float(data["wall"]) for name, data in results.items()}
        goals.append(
            f"{events:,} events, whole processes: journeygraph / hand-written Polars count "
            f"{wall['journeygraph'] / wall['polars (hand-written count)']:.2f}× (goal at most "
            f"1.5× at 1M); PM4Py on Polars / journeygraph "
            f"{wall['pm4py (polars)'] / wall['journeygraph']:.2f}× (goal at least 2.5×); "
            f"journeygraph peak memory {int(results['journeygraph']['rss']) / 2**30:.2f} GB "
            "(goal under 2 GB at 10M)"
        )
    print()
    for line in goals:
        print(f"- {line}")


if __name__ == "__main__":
    main()
