"""Benchmark of diff and what-if on the 10,000-touchpoint, 1,000-function map.

Usage: ``python benchmarks/bench_tools.py [TOUCHPOINTS]``.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate_map  # noqa: E402


def main() -> None:
    import journeygraph
    from journeygraph.diff import diff_maps
    from journeygraph.report.scorecard import portfolio
    from journeygraph.whatif import dependence_ranking, what_if

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory() as tmp:
        old_path, new_path = Path(tmp) / "old.yaml", Path(tmp) / "new.yaml"
        old_path.write_text(generate_map(n, 1000, seed=1), encoding="utf-8")
        # The same map with function f0 made co-Responsible on every 50th line.
        text = old_path.read_text(encoding="utf-8").splitlines()
        edited = [
            line.replace("R: [f", "R: [f0, f", 1) if i % 50 == 0 and "R: [f0]" not in line else line
            for i, line in enumerate(text)
        ]
        new_path.write_text("\n".join(edited) + "\n", encoding="utf-8")
        old, new = journeygraph.load(old_path), journeygraph.load(new_path)
    timings = []
    start = time.perf_counter()
    d = diff_maps(old, new)
    timings.append(
        (
            "diff (two audits included)",
            time.perf_counter() - start,
            f"{len(d.changes):,} changes, {len(d.appeared):,} new findings",
        )
    )
    start = time.perf_counter()
    ranking = dependence_ranking(old)
    timings.append(
        ("what-if ranking", time.perf_counter() - start, f"{len(ranking):,} functions ranked")
    )
    start = time.perf_counter()
    effect = what_if(old, functions=[ranking[0].function])
    timings.append(
        (
            "what-if, one function removed",
            time.perf_counter() - start,
            f"{len(effect.without_responsible)} touchpoints left without R",
        )
    )
    start = time.perf_counter()
    results = [journeygraph.audit(old), journeygraph.audit(new)]
    view = portfolio([old, new], results)
    timings.append(
        (
            "portfolio audit of two versions",
            time.perf_counter() - start,
            f"{len(view.busiest)} busiest functions, {len(view.shared)} shared",
        )
    )
    print(f"{n:,} touchpoints, 1,000 functions")
    for name, seconds, note in timings:
        print(f"{name:>32} {seconds:>6.2f}s  {note}")


if __name__ == "__main__":
    main()
