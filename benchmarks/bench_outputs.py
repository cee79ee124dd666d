"""Benchmark of the outputs at scale (issue 30, part 2): each command as a whole process,
its CPU time against the audit of the same map.

Usage: ``python benchmarks/bench_outputs.py [TOUCHPOINTS] [--runs N] [--shape dense|journey]
[--against SRC] [--pdf] [--skip report,actions]``

Generates the map (``generate_dense.py``'s finding-heavy shape, a function per three
touchpoints, by default; ``generate.py``'s journey shape with 1,000 functions with
``--shape journey``) and runs, in turn, ``audit --format json -o``, ``actions -o
plan.xlsx``, ``report -o DIR`` (with ``--pdf``, ``report --pdf`` too: minutes at
10,000 touchpoints) and ``render --view blueprint -o bp.svg``, ``--runs`` times (3 by
default). Prints the median CPU time (user + system of the child process: the figure
that holds on a shared machine), its ratio to the audit's, the wall time, and the
size of what was written, with the load average before and after. ``--against SRC``
runs each command also with another checkout's ``src`` folder first on
``PYTHONPATH`` (the code before a change), in turn with this one, so that both see
the same load.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
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


def commands(map_file: Path, out: Path, pdf: bool) -> dict[str, tuple[list[str], Path]]:
    """Each command measured, by name: its arguments and the file or folder it writes."""
    chosen = {
        "audit --format json": (
            ["audit", str(map_file), "--format", "json", "--fail-on", "never"],
            out / "audit.json",
        ),
        "actions -o plan.xlsx": (["actions", str(map_file)], out / "plan.xlsx"),
        "report -o DIR": (["report", str(map_file)], out / "report"),
        "render --view blueprint": (
            ["render", str(map_file), "--view", "blueprint"],
            out / "blueprint.svg",
        ),
    }
    if pdf:
        chosen["report --pdf"] = (["report", str(map_file), "--pdf"], out / "report-pdf")
    return chosen


def timed(args: list[str], target: Path, src: str | None) -> tuple[float, float, int]:
    """CPU and wall seconds of one whole process, and the bytes it wrote."""
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = src
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "journeygraph", *args, "-o", str(target), "--force"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    size = (
        sum(f.stat().st_size for f in target.rglob("*") if f.is_file())
        if target.is_dir()
        else target.stat().st_size
    )
    if target.is_dir():
        shutil.rmtree(target)
    else:
        target.unlink()
    return cpu, wall, size


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("touchpoints", nargs="?", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--shape", choices=["dense", "journey"], default="dense")
    parser.add_argument("--against", help="another checkout's src folder")
    parser.add_argument("--pdf", action="store_true")
    parser.add_argument(
        "--skip", default="", help="commands left out, by their first word: report,actions"
    )
    args = parser.parse_args()
    builds = {"this": None} | ({"before": args.against} if args.against else {})
    with tempfile.TemporaryDirectory() as tmp:
        map_file = Path(tmp) / f"{args.shape}-{args.touchpoints}.yaml"
        text = (
            generate_dense_map(args.touchpoints)
            if args.shape == "dense"
            else generate_map(args.touchpoints, 1000, seed=1)
        )
        map_file.write_text(text, encoding="utf-8")
        print(f"{args.shape} map of {args.touchpoints:,} touchpoints, median of {args.runs}")
        print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        print(f"{'command':<26}{'build':<8}{'CPU':>8}{'x audit':>9}{'wall':>8}{'written':>12}")
        audit_cpu: dict[str, float] = {}
        skipped = set(filter(None, args.skip.split(",")))
        for name, (command, target) in commands(map_file, Path(tmp), args.pdf).items():
            if name.split()[0] in skipped:
                continue
            measured: dict[str, list[tuple[float, float, int]]] = {b: [] for b in builds}
            for _ in range(args.runs):
                for build, src in builds.items():
                    measured[build].append(timed(command, target, src))
            for build, runs in measured.items():
                cpu = statistics.median(r[0] for r in runs)
                wall = statistics.median(r[1] for r in runs)
                size = runs[-1][2]
                audit_cpu.setdefault(build, cpu)
                ratio = cpu / audit_cpu[build]
                print(
                    f"{name:<26}{build:<8}{cpu:>7.2f}s{ratio:>8.2f}x{wall:>7.1f}s"
                    f"{size / 1e6:>10.2f} MB"
                )
        print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
