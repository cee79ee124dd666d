"""Benchmark of the audit: ``journeygraph audit MAP --format json -o OUT`` as whole processes.

Two map shapes, at 1,000, 10,000 and 100,000 touchpoints by default:

- ``dense`` (``generate_dense.py``): the shape of issue 30's table, a function
  per three touchpoints with random R/A/C/I and random transitions, about four
  findings per touchpoint;
- ``journey`` (``generate.py``): the journey-shaped map of earlier sessions,
  1,000 functions, about 1.8 findings per touchpoint.

Each size runs ``--runs`` times (default 3), each run a fresh process, as a
user runs it (start-up, load, audit and the JSON written). The table gives the
medians of wall time and of CPU time (user + system, which a shared machine
disturbs less than the wall), the largest peak RSS, the findings, and the
growth: how much the CPU time grew over the previous size, divided by how much
the map grew (1.0 is linear). ``--phases`` adds one in-process run per size
timing load, graph, audit and JSON apart (CPU time), each with its own growth.

Usage: ``python benchmarks/bench_audit.py [--runs N] [--shape dense|journey|both]
[--phases] [TOUCHPOINTS ...]``
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate_map  # noqa: E402
from generate_dense import generate_dense_map  # noqa: E402

FUNCTIONS = 1000
"""Functions of the journey-shaped map (the dense one has a function per three touchpoints)."""

SHAPES = {
    "dense": lambda n: generate_dense_map(n),
    "journey": lambda n: generate_map(n, FUNCTIONS),
}


def run_process(args: list[str]) -> dict[str, float]:
    """Wall time, CPU time (user + system) and peak RSS of one whole process."""
    start = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    stderr = process.stderr.read().decode() if process.stderr else ""
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({process.returncode}):\n{stderr}")
    return {
        "wall_s": wall,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "rss_mb": usage.ru_maxrss / 1024,
        # From the summary line ("28754 high, 873 medium, 9875 low in 1 journey."):
        # reading the JSON here would grow this process, and its children inherit
        # its peak memory in their own figure until they exec.
        "findings": sum(int(n) for n in re.findall(r"(\d+) (?:high|medium|low|info)\b", stderr)),
    }


def audit_args(path: Path, out: Path) -> list[str]:
    """The command a user runs: the audit of ``path`` as JSON into ``out``."""
    return [
        sys.executable,
        "-m",
        "journeygraph",
        "audit",
        str(path),
        "-f",
        "json",
        "-o",
        str(out),
        "--force",
        "--fail-on",
        "never",
    ]


def phases(path: Path) -> dict[str, float]:
    """Time each phase of one audit of the map at ``path`` (in this process)."""
    import journeygraph
    from journeygraph.report import JsonFormatter

    clock = time.process_time  # CPU time: the machine is shared
    t0 = clock()
    m = journeygraph.load(path)
    t1 = clock()
    G = m.to_networkx()  # timed on its own; the audit builds its own graph
    t2 = clock()
    del G
    result = journeygraph.audit(m)
    t3 = clock()
    JsonFormatter().audit([result])
    t4 = clock()
    return {
        "load_s": t1 - t0,
        "graph_s": t2 - t1,
        "audit_s": t3 - t2,  # graph, then every rule
        "json_s": t4 - t3,
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        print(json.dumps(phases(Path(sys.argv[2]))))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1_000, 10_000, 100_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--shape", choices=[*SHAPES, "both"], default="both")
    parser.add_argument("--phases", action="store_true")
    options = parser.parse_args()
    shapes = list(SHAPES) if options.shape == "both" else [options.shape]
    print(
        f"{'shape':<8} {'touchpoints':>11} {'wall':>7} {'CPU':>7} {'growth':>6} "
        f"{'peak RSS':>9} {'findings':>9}  (medians of {options.runs} whole processes)"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for shape in shapes:
            previous: tuple[int, float] | None = None
            before: dict[str, float] | None = None
            for n in options.sizes:
                path = Path(tmp) / f"{shape}-{n}.yaml"
                path.write_text(SHAPES[shape](n), encoding="utf-8")
                out = Path(tmp) / f"{shape}-{n}.json"
                runs = [run_process(audit_args(path, out)) for _ in range(options.runs)]
                cpu = statistics.median(r["cpu_s"] for r in runs)
                wall = statistics.median(r["wall_s"] for r in runs)
                rss = max(r["rss_mb"] for r in runs)
                findings = runs[0]["findings"]
                growth = "" if previous is None else f"{cpu / previous[1] / (n / previous[0]):.2f}"
                print(
                    f"{shape:<8} {n:>11,} {wall:>6.2f}s {cpu:>6.2f}s {growth:>6} "
                    f"{rss:>7.0f}MB {findings:>9,.0f}",
                    flush=True,
                )
                if options.phases:
                    one = json.loads(
                        subprocess.run(
                            [sys.executable, __file__, "--one", str(path)],
                            check=True,
                            capture_output=True,
                            text=True,
                        ).stdout
                    )
                    timed = [
                        f"{k[:-2]} {v:.2f}s"
                        + (
                            ""
                            if before is None or previous is None or not before[k]
                            else f" (growth {v / before[k] / (n / previous[0]):.2f})"
                        )
                        for k, v in one.items()
                        if k.endswith("_s")
                    ]
                    print("         phases (CPU): " + ", ".join(timed), flush=True)
                    before = one
                previous = (n, cpu)
                out.unlink()


if __name__ == "__main__":
    main()
