"""Benchmark of discovery from an event log: journeygraph against PM4Py and Polars.

PM4Py is AGPL: it is never a dependency of journeygraph. This script installs
it, with Polars and rustxes, in a separate virtual environment
(``benchmarks/.peer-venv``) and runs every measurement there, each a whole
process (interpreter start, imports, reading the file, the work), end to end
from the same CSV file:

* ``journeygraph discover``: the command as a user runs it, ``-f json -o FILE``:
  directly-follows counts, customers, median and 90th percentile times per
  pair, per touchpoint events, customers, starts, ends and repeat visits,
  variants, end-to-end times, bad rows;
* ``journeygraph discover --map``: the same against a 1,000-touchpoint map
  (`generate.generate_map`: a function per three touchpoints), with the
  conformance checks and the audit;
* ``journeygraph (API)``: ``read_log`` + ``discover`` in Python;
* ``pm4py (pandas)``: ``pandas.read_csv`` + ``pm4py.format_dataframe`` +
  ``pm4py.discover_dfg``;
* ``pm4py (polars)``: ``polars.scan_csv`` (timestamps parsed) +
  ``pm4py.discover_dfg`` on the LazyFrame;
* ``polars (hand-written count)``: the least a directly-follows count takes:
  read, parse times, sort each case, shift, group and count, in Polars.

With ``--before SRC`` (a checkout's ``src`` folder, such as ``/work/main/src``)
the two commands run from that code too, in the same rounds: before and after
side by side.

The logs are walks of customers through ``examples/b2b-saas.yaml`` (loops and
rework included), with string case ids and rows out of case order. The
directly-follows counts of every tool must be identical; the script stops if
they are not.

Each round runs every tool once, in turn, so that a change in the shared
machine's load falls on all of them; the medians of the rounds are reported,
of CPU time (user + system, the process and its threads and children) and of
wall time, with the load average before and after.

Usage: ``python benchmarks/bench_discover.py [EVENTS ...] [--runs N] [--before SRC]
[--skip NAME ...]`` (default 1,000,000 events, nine rounds; three above 2,000,000).
Logs are cached in ``benchmarks/.data``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
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
    "journeygraph (API)": """
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
import json, sys
PATH = sys.argv[1]
{imports}
{work}
json.dump({{"dfg": dfg, "events": globals().get("events")}}, open(sys.argv[2], "w"))
"""

MAP_TOUCHPOINTS = 1_000


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
                "rustxes",
                "-e",
                f"{ROOT}[logs]",
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


def make_map() -> Path:
    """The benchmark's map of `MAP_TOUCHPOINTS` touchpoints, a function per three."""
    path = DATA / f"map-{MAP_TOUCHPOINTS}.yaml"
    if not path.exists():
        from generate import generate_map

        DATA.mkdir(exist_ok=True)
        path.write_text(generate_map(MAP_TOUCHPOINTS, MAP_TOUCHPOINTS // 3), encoding="utf-8")
    return path


@dataclass
class Tool:
    """A whole process to time: its command (``{log}``, ``{out}`` filled in), where it
    runs from (``src``: a checkout's code instead of the installed one), and how its
    output gives the directly-follows counts."""

    name: str
    command: list[str]
    cli: bool = False
    src: str | None = None
    runs: list[dict[str, float]] = field(default_factory=list)

    def run(self, log: Path, out: Path) -> dict[str, Any]:
        """Run once: wall and CPU seconds, peak memory, and the output's counts."""
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        if self.src is not None:
            env["PYTHONPATH"] = self.src
        args = [a.replace("{log}", str(log)).replace("{out}", str(out)) for a in self.command]
        wall = time.perf_counter()
        process = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - wall
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode not in (0, 1):  # 1: findings at or above --fail-on
            error = process.stderr.read().decode() if process.stderr else ""
            raise SystemExit(f"{self.name} failed ({process.returncode}): {error[-2000:]}")
        if process.stderr:
            process.stderr.close()
        data: dict[str, Any] = json.loads(out.read_text())
        if self.cli:
            data = {
                "events": data["events"],
                "dfg": {f"{t['from']}\t{t['to']}": t["transitions"] for t in data["transitions"]},
            }
        data["wall"] = wall
        data["cpu"] = usage.ru_utime + usage.ru_stime
        data["rss"] = usage.ru_maxrss * 1024
        return data


def tools(python: Path, before: str | None, skip: list[str]) -> list[Tool]:
    """The tools of `PROGRAMS` and the command line (from ``before``'s code too)."""
    mapped = str(make_map())
    cli = [str(python), "-m", "journeygraph", "discover", "{log}", "-f", "json", "-o", "{out}"]
    made = [
        Tool("journeygraph discover", [*cli, "--force"], cli=True),
        Tool("journeygraph discover --map", [*cli, "--force", "--map", mapped,
                                             "--fail-on", "never"], cli=True),
    ]  # fmt: skip
    if before is not None:
        made += [Tool(f"{t.name} (before)", t.command, cli=True, src=before) for t in list(made)]
    for name, program in PROGRAMS.items():
        imports, work = program.split("# work")
        script = HARNESS.format(imports=imports, work=work)
        made.append(Tool(name, [str(python), "-c", script, "{log}", "{out}"]))
    return [t for t in made if not any(s in t.name for s in skip)]


def measure(made: list[Tool], log: Path, runs: int) -> dict[str, dict[str, Any]]:
    """Each tool's medians over ``runs`` rounds (every tool once per round), after one
    untimed run each (which writes the bytecode caches); the counts must agree."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "out.json"
        first = {t.name: t.run(log, out) for t in made}
        reference = first[made[0].name]["dfg"]
        for name, data in first.items():
            if data["dfg"] != reference:
                raise SystemExit(f"{name}: directly-follows counts differ from journeygraph's")
        for _ in range(runs):
            for t in made:
                t.runs.append({k: v for k, v in t.run(log, out).items() if k != "dfg"})
    return {
        t.name: {
            "wall": statistics.median(r["wall"] for r in t.runs),
            "cpu": statistics.median(r["cpu"] for r in t.runs),
            "rss": statistics.median(r["rss"] for r in t.runs),
            "events": first[t.name]["events"] or first[made[0].name]["events"],
            "pairs": len(reference),
        }
        for t in made
    }


def load() -> str:
    """The load average, as ``/proc/loadavg`` gives it (1, 5, 15 minutes)."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def table(results: dict[str, dict[str, Any]], reference: str) -> list[str]:
    """Markdown rows: each tool's medians, and the ratios to ``reference``'s."""
    base = results[reference]
    lines = []
    for name, data in results.items():
        lines.append(
            f"| {int(data['events']):,} | {name} | {data['cpu']:.2f} s | {data['wall']:.2f} s | "
            f"{data['rss'] / 2**30:.2f} GB | {data['cpu'] / base['cpu']:.2f}× | "
            f"{data['wall'] / base['wall']:.2f}× |"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("events", type=int, nargs="*", default=[1_000_000])
    parser.add_argument("--runs", type=int, default=0, help="rounds (default 9; 3 above 2M)")
    parser.add_argument("--before", help="a checkout's src folder to time too")
    parser.add_argument("--skip", nargs="*", default=[], help="leave out tools naming this")
    args = parser.parse_args()
    python = peer_python()
    made = tools(python, args.before, args.skip)
    reference = "polars (hand-written count)"
    print(f"load average before: {load()}\n")
    print(
        "| Events | Tool | CPU (user+sys) | Wall | Peak memory | CPU vs Polars count "
        "| Wall vs Polars count |"
    )
    print("| ---: | --- | ---: | ---: | ---: | ---: | ---: |")
    goals: list[str] = []
    for size in args.events:
        log = make_log(size)
        for t in made:
            t.runs.clear()
        runs = args.runs or (9 if size <= 2_000_000 else 3)
        results = measure(made, log, runs)
        for line in table(results, reference):
            print(line)
        pairs = next(iter(results.values()))["pairs"]
        print(f"|  | (identical directly-follows counts: {pairs} pairs; median of {runs}) "
              "| | | | | |")  # fmt: skip
        goals.append(goal_line(results, reference))
    print(f"\nload average after: {load()}\n")
    for line in goals:
        print(f"- {line}")


def goal_line(results: dict[str, dict[str, Any]], reference: str) -> str:
    """The issue's goals (issue 30), as ratios of CPU time (of wall time in brackets)."""

    def ratio(a: str, b: str) -> str:
        if a not in results or b not in results:
            return "not measured"
        cpu = results[a]["cpu"] / results[b]["cpu"]
        wall = results[a]["wall"] / results[b]["wall"]
        return f"{cpu:.2f}× CPU ({wall:.2f}× wall)"

    events = int(next(iter(results.values()))["events"])
    return (
        f"{events:,} events: discover / Polars count {ratio('journeygraph discover', reference)} "
        f"(goal at most 1.3×); PM4Py on Polars / discover "
        f"{ratio('pm4py (polars)', 'journeygraph discover')} (goal at least 3×); "
        f"discover --map / Polars count {ratio('journeygraph discover --map', reference)} "
        "(goal at most 2×)"
    )


if __name__ == "__main__":
    main()
