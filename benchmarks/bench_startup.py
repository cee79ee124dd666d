"""Benchmark of start-up: whole ``journeygraph`` processes, as a user runs them.

Usage: ``python benchmarks/bench_startup.py [RUNS] [--against OTHER_JOURNEYGRAPH] [--compile]``
(default 11 runs). Prints the median wall time and the median CPU time (user +
system of the child process: the figure that holds on a shared machine), and
the load average before and after. With ``--against``, the other executable
(another checkout's ``.venv/bin/journeygraph``) runs each command in turn with
this one, so that both see the same load.

Python compiles a module it finds without bytecode on every run when
``PYTHONDONTWRITEBYTECODE`` is set (these sessions set it), and this checkout's
modules then have none: ``--compile`` writes them first (``compileall``, into the
ignored ``__pycache__`` folders), as ``pip install`` does for an installed package.
"""

from __future__ import annotations

import compileall
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
B2B = str(ROOT / "examples" / "b2b-saas.yaml")
JOURNEYGRAPH = str(Path(sys.executable).with_name("journeygraph"))

COMMANDS = {
    "--version": ["--version"],
    "--help": ["--help"],
    "validate (B2B example)": ["validate", B2B],
    "audit (B2B example)": ["audit", B2B, "--fail-on", "never"],
}


def timed(executable: str, args: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of one whole process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([executable, *args], check=True, capture_output=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    args = sys.argv[1:]
    against = None
    if "--against" in args:
        at = args.index("--against")
        against = args[at + 1]
        del args[at : at + 2]
    if "--compile" in args:
        args.remove("--compile")
        compileall.compile_dir(ROOT / "src" / "journeygraph", quiet=1)
    runs = int(args[0]) if args else 11
    executables = {"this": JOURNEYGRAPH} | ({"against": against} if against else {})
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        print("PYTHONDONTWRITEBYTECODE is set: modules without bytecode compile on every run")
    print(f"{'command':<24} {'build':<8} {'wall median':>11} {'CPU median':>10} {'CPU min':>8}")
    for label, command in COMMANDS.items():
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in executables}
        for _ in range(runs):
            for name, executable in executables.items():
                times[name].append(timed(executable, command))
        for name, measured in times.items():
            wall = statistics.median(t[0] for t in measured)
            cpu = [t[1] for t in measured]
            print(
                f"{label:<24} {name:<8} {wall:>10.3f}s {statistics.median(cpu):>9.3f}s "
                f"{min(cpu):>7.3f}s"
            )
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
