"""Benchmark of XES input: journeygraph against PM4Py's readers and its DFG.

Every tool runs as a whole process (interpreter start, imports, reading, the
directly-follows counts), in rounds (each tool once per round; medians of CPU
time, user + system, and of wall time), in the benchmark's own environment
(``benchmarks/.peer-venv``: PM4Py is AGPL, never a dependency):

* ``journeygraph discover``: the command, ``--lifecycle all -f json -o FILE``
  (every event, as PM4Py counts them);
* ``pm4py chunk_regex + dfg``: ``pm4py.read_xes(variant="chunk_regex")``, PM4Py's
  default reader when no Rust reader is installed, and ``pm4py.discover_dfg``;
* ``pm4py rustxes + dfg``: the same with PM4Py's Rust reader (``rustxes``), which
  ``read_xes`` picks by default when it is installed.

The directly-follows counts of all must be equal; the script stops if they are
not. The logs:

* the Helpdesk log (``examples/helpdesk.xes.gz``, 21,348 events);
* a log shaped like the BPI Challenge 2012 (262,200 events, 68 MB of XML:
  ``make_bpi_xes.py``; the real log is not on this machine), or the real one
  when ``benchmarks/.data/BPI_Challenge_2012.xes`` is there;
* with ``--million``, a 1M-event XES written from the walks of ``bench_discover``.

Usage: ``python benchmarks/bench_xes.py [--runs N] [--before SRC] [--million]``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import make_bpi_xes  # noqa: E402
from bench_discover import DATA, ROOT, Tool, load, make_log, measure, peer_python  # noqa: E402

HELPDESK = ROOT / "examples" / "helpdesk.xes.gz"
PEER_PROGRAM = """
import json, sys, pm4py
df = pm4py.read_xes(sys.argv[1], variant="{variant}")
graph, _, _ = pm4py.discover_dfg(df)
json.dump({{"dfg": {{f"{{a}}\\t{{b}}": n for (a, b), n in graph.items()}}, "events": len(df)}},
          open(sys.argv[2], "w"))
"""


def make_xes(events: int) -> Path:
    """The CSV log of ``bench_discover`` as XES: one trace per case, events in time order."""
    path = DATA / f"events-{events}.xes"
    if path.exists():
        return path
    rows: dict[str, list[tuple[str, str]]] = {}
    with make_log(events).open(encoding="utf-8") as handle:
        next(handle)
        for line in handle:
            case, touchpoint, stamp = line.rstrip("\n").split(",")
            rows.setdefault(case, []).append((stamp, touchpoint))
    with path.open("w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<log xes.version="1.0" '
                  'xmlns="http://www.xes-standard.org/">\n')  # fmt: skip
        for case, steps in rows.items():
            out.write(f'<trace><string key="concept:name" value={quoteattr(case)}/>\n')
            for stamp, touchpoint in sorted(steps):
                out.write(
                    f'<event><string key="concept:name" value={quoteattr(touchpoint)}/>'
                    f'<date key="time:timestamp" value="{stamp}"/></event>\n'
                )
            out.write("</trace>\n")
        out.write("</log>\n")
    return path


def bpi_log() -> Path:
    """The BPI Challenge 2012 log when it is here, else one of its shape."""
    real = DATA / "BPI_Challenge_2012.xes"
    if real.exists():
        return real
    path = DATA / "bpi2012-shaped.xes"
    if not path.exists():
        DATA.mkdir(exist_ok=True)
        make_bpi_xes.write(path)
    return path


def tools(python: Path, before: str | None) -> list[Tool]:
    cli = [str(python), "-m", "journeygraph", "discover", "{log}", "--lifecycle", "all",
           "-f", "json", "-o", "{out}", "--force"]  # fmt: skip
    made = [Tool("journeygraph discover", cli, cli=True)]
    if before is not None:
        made.append(Tool("journeygraph discover (before)", cli, cli=True, src=before))
    for variant in ("chunk_regex", "rustxes"):
        program = PEER_PROGRAM.format(variant=variant)
        made.append(Tool(f"pm4py {variant} + dfg", [str(python), "-c", program, "{log}", "{out}"]))
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--before", help="a checkout's src folder to time too")
    parser.add_argument("--million", action="store_true", help="also a 1M-event XES")
    args = parser.parse_args()
    python = peer_python()
    made = tools(python, args.before)
    logs = [HELPDESK, bpi_log(), *([make_xes(1_000_000)] if args.million else [])]
    print(f"load average before: {load()}\n")
    print(
        "| Log | Events | Tool | CPU (user+sys) | Wall | Peak memory | CPU vs ours | Wall vs ours |"
    )
    print("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |")
    goals = []
    for log in logs:
        for t in made:
            t.runs.clear()
        results = measure(made, log, args.runs)
        ours = results["journeygraph discover"]
        for name, data in results.items():
            print(
                f"| {log.name} | {int(data['events']):,} | {name} | {data['cpu']:.2f} s | "
                f"{data['wall']:.2f} s | {data['rss'] / 2**30:.2f} GB | "
                f"{data['cpu'] / ours['cpu']:.2f}× | {data['wall'] / ours['wall']:.2f}× |"
            )
        pairs = next(iter(results.values()))["pairs"]
        print(f"| | | (equal directly-follows counts: {pairs} pairs; median of {args.runs}) "
              "| | | | | |")  # fmt: skip
        goals.append(goal_line(log, results))
    print(f"\nload average after: {load()}\n")
    for line in goals:
        print(f"- {line}")


def goal_line(log: Path, results: dict[str, dict[str, Any]]) -> str:
    """Issue 30's goals: PM4Py's default reader at least 6× our time, rustxes above ours."""
    ours = results["journeygraph discover"]

    def ratio(name: str) -> str:
        theirs = results[name]
        return f"{theirs['cpu'] / ours['cpu']:.2f}× CPU ({theirs['wall'] / ours['wall']:.2f}× wall)"

    return (
        f"{log.name}: PM4Py chunk_regex / journeygraph {ratio('pm4py chunk_regex + dfg')} "
        f"(goal at least 6×); rustxes / journeygraph {ratio('pm4py rustxes + dfg')} "
        "(goal above 1×)"
    )


if __name__ == "__main__":
    main()
