"""Benchmark of the workbook round trip: ``journeygraph export`` to .xlsx and ``validate`` of it.

Each size runs as whole processes (start-up included), the median of three.
Usage: ``python benchmarks/bench_export.py [TOUCHPOINTS...]`` (default 1,000 to 10,000).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate_map  # noqa: E402

CLI = [sys.executable, "-m", "journeygraph"]


def timed(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run([*CLI, *args], check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [1_000, 2_000, 5_000, 10_000]
    print(f"{'touchpoints':>11} {'export .xlsx':>13} {'per 1,000':>10} {'read .xlsx':>11}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            source = Path(tmp) / f"map-{n}.yaml"
            source.write_text(generate_map(n, 1_000), encoding="utf-8")
            book = Path(tmp) / f"map-{n}.xlsx"
            write = statistics.median(
                timed(["export", str(source), "-o", str(book), "--force"]) for _ in range(3)
            )
            read = statistics.median(timed(["validate", str(book)]) for _ in range(3))
            print(f"{n:>11,} {write:>12.2f}s {write / n * 1000:>9.2f}s {read:>10.2f}s")


if __name__ == "__main__":
    main()
