"""How many flow labels sit on an edge, on generated maps and logs never tuned for.

Usage: ``python benchmarks/bench_labels.py [SEEDS] [SIZES...]`` (default 10 seeds of maps
of 12, 24 and 40 touchpoints). Each map is drawn alone and with a log of 400 generated
customers; a label is counted when an edge's path runs through its text or it overlaps
another text, by the same SVG geometry as tests/render/test_label_geometry.py.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from tests.render.test_label_geometry import label_crossings, text_overlaps  # noqa: E402

from generate import generate_map  # noqa: E402
from generate_events import write_log  # noqa: E402
from journeygraph import load  # noqa: E402
from journeygraph.cli import app  # noqa: E402


def main() -> None:
    seeds = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    sizes = [int(a) for a in sys.argv[2:]] or [12, 24, 40]
    runner = CliRunner()
    drawings = labels = crossings = overlaps = 0
    took = 0.0
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            for seed in range(1, seeds + 1):
                path = Path(folder) / f"m{size}-{seed}.yaml"
                path.write_text(generate_map(size, max(3, size // 4), seed=seed), encoding="utf-8")
                log = Path(folder) / f"m{size}-{seed}.csv"
                write_log(load(path), 400, log, seed=seed)
                for extra in ([], ["--log", str(log)]):
                    out = Path(folder) / "flow.svg"
                    start = time.perf_counter()
                    args = ["render", str(path), "--view", "flow", "-o", str(out), "--force"]
                    result = runner.invoke(app, [*args, *extra])
                    took += time.perf_counter() - start
                    if result.exit_code != 0:
                        print(f"{path.name} {extra}: exit {result.exit_code}: {result.output}")
                        continue
                    svg = out.read_text(encoding="utf-8")
                    drawings += 1
                    labels += svg.count("% of customers<") + svg.count(">→ ")
                    found = label_crossings(svg)
                    crossings += len(found)
                    overlaps += len(text_overlaps(svg))
                    for line in found:
                        print(f"  {path.name} {'log' if extra else 'map'}: {line}")
    print(
        f"{drawings} drawings, sizes {sizes}, {seeds} seeds: {crossings} labels on an edge, "
        f"{overlaps} overlapping another text; {took / max(drawings, 1):.2f} s a drawing"
    )


if __name__ == "__main__":
    main()
