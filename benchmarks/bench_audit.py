"""Benchmark of the audit: load, graph and rules, at several map sizes.

Each size runs in a fresh process, so that peak memory (max RSS) is that of
one audit. Usage: ``python benchmarks/bench_audit.py [TOUCHPOINTS ...]``
(default 1,000, 10,000 and 100,000 touchpoints with 1,000 functions).
"""

from __future__ import annotations

import json
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
    G = m.to_networkx()
    t2 = time.perf_counter()
    result = journeygraph.audit(m)
    t3 = time.perf_counter()
    JsonFormatter().audit([result])
    t4 = time.perf_counter()
    return {
        "load_s": t1 - t0,
        "graph_s": t2 - t1,
        "audit_s": t3 - t2,  # builds its own graph, then runs every rule
        "json_s": t4 - t3,
        "end_to_end_s": (t1 - t0) + (t3 - t2) + (t4 - t3),
        "nodes": G.number_of_nodes(),
        "edges": G.number_of_edges(),
        "findings": len(result.findings),
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--one":
        print(json.dumps(measure(Path(sys.argv[2]))))
        return
    sizes = [int(a) for a in sys.argv[1:]] or [1_000, 10_000, 100_000]
    print(
        f"{'touchpoints':>11} {'load':>7} {'graph':>7} {'audit':>7} {'end-to-end':>10} "
        f"{'findings':>8} {'max RSS':>8}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            path = Path(tmp) / f"bench-{n}.yaml"
            path.write_text(generate_map(n, FUNCTIONS), encoding="utf-8")
            raw = subprocess.run(
                [sys.executable, __file__, "--one", str(path)],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            r = json.loads(raw)
            print(
                f"{n:>11,} {r['load_s']:>6.2f}s {r['graph_s']:>6.2f}s {r['audit_s']:>6.2f}s "
                f"{r['end_to_end_s']:>9.2f}s {r['findings']:>8,} {r['max_rss_mb']:>6.0f}MB",
                flush=True,
            )


if __name__ == "__main__":
    main()
