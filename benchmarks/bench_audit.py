"""Benchmark of the audit: load, graph and rules, at several map sizes.

Each size runs in a fresh process. ``load``, ``graph`` and ``audit`` time the
library calls (the audit builds its own graph and runs every rule); ``CLI`` is
the wall time of ``journeygraph audit MAP --format json`` as a user runs it,
start-up and output included, and ``CLI max RSS`` its peak memory.

Usage: ``python benchmarks/bench_audit.py [TOUCHPOINTS ...]`` (default 1,000,
10,000 and 100,000 touchpoints, each with 1,000 functions).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate_map  # noqa: E402

FUNCTIONS = 1000


def measure(path: Path) -> dict[str, float]:
    """Time each phase of one audit of the map at ``path`` (in this process)."""
    import journeygraph
    from journeygraph.report import JsonFormatter

    t0 = time.perf_counter()
    m = journeygraph.load(path)
    t1 = time.perf_counter()
    G = m.to_networkx()  # timed on its own; the audit builds its own graph
    t2 = time.perf_counter()
    nodes, edges = G.number_of_nodes(), G.number_of_edges()
    del G
    result = journeygraph.audit(m)
    t3 = time.perf_counter()
    JsonFormatter().audit([result])
    t4 = time.perf_counter()
    return {
        "load_s": t1 - t0,
        "graph_s": t2 - t1,
        "audit_s": t3 - t2,  # graph, then every rule
        "json_s": t4 - t3,
        "end_to_end_s": (t1 - t0) + (t3 - t2) + (t4 - t3),
        "nodes": nodes,
        "edges": edges,
        "findings": len(result.findings),
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def measure_cli(path: Path) -> dict[str, float]:
    """Wall time and peak memory of ``journeygraph audit MAP -f json``, as a user runs it."""
    start = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "journeygraph",
            "audit",
            str(path),
            "-f",
            "json",
            "-o",
            os.devnull,
            "--fail-on",
            "never",
        ],
        check=True,
        capture_output=True,
    )
    wall = time.perf_counter() - start
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"cli_s": wall, "cli_rss_mb": rss}


def _in_fresh_process(flag: str, path: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, flag, str(path)], check=True, capture_output=True, text=True
    ).stdout
    return json.loads(out)  # type: ignore[no-any-return]


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] in ("--one", "--cli"):
        measured = measure if sys.argv[1] == "--one" else measure_cli
        print(json.dumps(measured(Path(sys.argv[2]))))
        return
    sizes = [int(a) for a in sys.argv[1:]] or [1_000, 10_000, 100_000]
    print(
        f"{'touchpoints':>11} {'load':>7} {'graph':>7} {'audit':>7} {'CLI':>7} "
        f"{'findings':>8} {'CLI max RSS':>11}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            path = Path(tmp) / f"bench-{n}.yaml"
            path.write_text(generate_map(n, FUNCTIONS), encoding="utf-8")
            r = _in_fresh_process("--one", path)
            cli = _in_fresh_process("--cli", path)
            print(
                f"{n:>11,} {r['load_s']:>6.2f}s {r['graph_s']:>6.2f}s {r['audit_s']:>6.2f}s "
                f"{cli['cli_s']:>6.2f}s {r['findings']:>8,.0f} {cli['cli_rss_mb']:>9.0f}MB",
                flush=True,
            )


if __name__ == "__main__":
    main()
