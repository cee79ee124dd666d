"""Benchmark of the replay: ``whatif --to-be --log`` against a plain ``discover --map``.

Both run as whole processes, as a user runs them, on the same log of about
1,000,000 events (walks of customers through ``examples/b2b-saas.yaml``,
``bench_discover.make_log``, cached in ``benchmarks/.data``):

* ``discover --map``: ``journeygraph discover LOG --map MAP -f json``;
* ``whatif --to-be --log``: ``journeygraph whatif MAP --to-be SCENARIO --log LOG -f json``,
  which reads the log, discovers its flow, audits both organisations and
  replays every customer's path against both;
* ``replay()`` alone, in-process, on the discovered flow: the two replays.

The issue's goal: the replay against two organisations under twice a plain
``discover --map``. Each command runs three times; the median is reported.

Usage: ``python benchmarks/bench_replay.py [EVENTS]`` (default 1,000,000).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from bench_discover import make_log  # noqa: E402

MAP = ROOT / "examples" / "b2b-saas.yaml"
SCENARIO = ROOT / "examples" / "scenarios" / "b2b-saas-agreed-handoff.yaml"
RUNS = 3


def timed(args: list[str]) -> float:
    """Seconds one whole process takes."""
    start = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True)
    return time.perf_counter() - start


def replay_alone(log: Path) -> float:
    """Seconds of the two replays, in-process, after discovery."""
    sys.path.insert(0, str(ROOT / "src"))
    from journeygraph import load
    from journeygraph.evidence import discover, read_log
    from journeygraph.scenario import apply, load_scenario
    from journeygraph.scenario.replay import replay

    as_is = load(MAP)
    to_be = apply(as_is, load_scenario(SCENARIO))
    flow = discover(read_log(log))
    start = time.perf_counter()
    replay(flow, [as_is, to_be])
    return time.perf_counter() - start


def main() -> None:
    events = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    log = make_log(events)
    cli = [sys.executable, "-m", "journeygraph"]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.json"
        commands = {
            "discover --map": [
                *cli, "discover", str(log), "--map", str(MAP), "-f", "json",
                "--fail-on", "never", "-o", str(out), "--force",
            ],
            "whatif --to-be --log": [
                *cli, "whatif", str(MAP), "--to-be", str(SCENARIO), "--log", str(log),
                "-f", "json", "-o", str(out), "--force",
            ],
        }  # fmt: skip
        medians = {
            name: statistics.median(timed(args) for _ in range(RUNS))
            for name, args in commands.items()
        }
    alone = statistics.median(replay_alone(log) for _ in range(RUNS))
    print(f"{events:,} events, median of {RUNS} runs")
    for name, seconds in medians.items():
        print(f"  {name:<24} {seconds:6.2f} s")
    print(f"  {'replay() alone (two)':<24} {alone:6.2f} s")
    ratio = medians["whatif --to-be --log"] / medians["discover --map"]
    print(f"  whatif / discover: {ratio:.2f} (goal: under 2)")


if __name__ == "__main__":
    main()
