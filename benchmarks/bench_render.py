"""Benchmark of the diagrams: every view of the benchmark map, drawn by Graphviz, and
the journey canvas (composed as SVG, without Graphviz).

Usage: ``python benchmarks/bench_render.py [TOUCHPOINTS [FUNCTIONS]]``
(default the 1,000-touchpoint, 1,000-function benchmark map).
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
    from journeygraph.render import MAP_VIEWS, View, diagram, render
    from journeygraph.render.journey_canvas import journey_canvas

    touchpoints = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000
    functions = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.yaml"
        path.write_text(generate_map(touchpoints, functions), encoding="utf-8")
        m = journeygraph.load(path)
    result = journeygraph.audit(m)
    print(f"{touchpoints:,} touchpoints, {functions:,} functions")
    print(f"{'diagram':>20} {'build':>7} {'svg':>7}  note")
    # The work view needs a log; the canvas is timed apart, below.
    drawings: list[tuple[str, View, str | None]] = [(v.value, v, None) for v in MAP_VIEWS]
    drawings += [(f"flow:{s.id}", View.FLOW, s.id) for s in m.stages]
    for label, view, stage in drawings:
        start = time.perf_counter()
        drawn = diagram(view, m, result, stage=stage)
        built = time.perf_counter()
        render(drawn.dot, "svg")
        done = time.perf_counter()
        print(
            f"{label[:20]:>20} {built - start:>6.2f}s {done - built:>6.2f}s  {drawn.note or ''}",
            flush=True,
        )
    start = time.perf_counter()
    pages = journey_canvas(m, result)
    done = time.perf_counter()
    print(f"{'canvas':>20} {done - start:>6.2f}s {0:>6.2f}s  {len(pages)} sheets", flush=True)


if __name__ == "__main__":
    main()
