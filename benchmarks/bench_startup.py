"""Benchmark of start-up: whole ``journeygraph`` processes, as a user runs them.

Usage: ``python benchmarks/bench_startup.py [RUNS]`` (default 11; the median is shown).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
B2B = str(ROOT / "examples" / "b2b-saas.yaml")
JOURNEYGRAPH = str(Path(sys.executable).with_name("journeygraph"))

COMMANDS = {
    "journeygraph --version": ["--version"],
    "journeygraph --help": ["--help"],
    "journeygraph validate (B2B example)": ["validate", B2B],
    "journeygraph audit (B2B example)": ["audit", B2B, "--fail-on", "never"],
}


def timed(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run([JOURNEYGRAPH, *args], check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 11
    print(f"{'command':<38} {'median':>7} {'min':>7} {'max':>7}")
    for label, args in COMMANDS.items():
        times = [timed(args) for _ in range(runs)]
        print(
            f"{label:<38} {statistics.median(times):>6.3f}s {min(times):>6.3f}s {max(times):>6.3f}s"
        )


if __name__ == "__main__":
    main()
