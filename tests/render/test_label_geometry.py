"""The flow's edge labels sit clear of every edge and every other text: checked on the
drawn SVG's geometry.

A label's text box comes from its position, font size and the width of its
characters (Helvetica's metrics, which Arial and Liberation Sans share); an
edge's path is sampled along its Bézier curves. A label touches an edge when
a sampled point falls inside the text box widened by half the edge's stroke.
"""

from __future__ import annotations

import importlib.util
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from journeygraph.cli import ExitCode, app
from tests.conftest import EXAMPLES

runner = CliRunner()
SVG = "{http://www.w3.org/2000/svg}"

_HELVETICA = dict(
    zip(
        " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`"
        "abcdefghijklmnopqrstuvwxyz{|}~",
        [278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278]
        + [556] * 10
        + [278, 278, 584, 584, 584, 556, 1015]
        + [667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833]
        + [722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611]
        + [278, 278, 278, 469, 556, 333]
        + [556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833]
        + [556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500]
        + [334, 260, 334, 584],
        strict=True,
    )
)
"""Advance widths of Helvetica's ASCII characters, in thousandths of the font size."""
_ASCENT, _DESCENT = 0.718, 0.207
"""Helvetica's ascender and descender, in font sizes."""

Box = tuple[float, float, float, float]


def text_width(text: str, size: float) -> float:
    """The drawn width of ``text``: wide (an em) for an arrow or other symbol."""
    return sum(_HELVETICA.get(c, 1000 if ord(c) >= 0x2000 else 556) for c in text) * size / 1000


def text_box(element: ET.Element) -> Box:
    """The box a ``<text>`` element's letters take: left, top, right, bottom."""
    size = float(element.get("font-size", "14"))
    x, y = float(element.get("x", "0")), float(element.get("y", "0"))
    width = text_width("".join(element.itertext()), size)
    anchor = element.get("text-anchor", "start")
    left = x - width / 2 if anchor == "middle" else x - width if anchor == "end" else x
    return left, y - _ASCENT * size, left + width, y + _DESCENT * size


def path_points(d: str, samples: int = 40) -> list[tuple[float, float]]:
    """Points along a Graphviz edge path: ``M p0 C p1 p2 p3 ...``, cubic Béziers end to end."""
    numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?(?:[eE]-?\d+)?", d)]
    points = list(zip(numbers[0::2], numbers[1::2], strict=True))
    out = []
    for i in range(0, len(points) - 3, 3):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3) = points[i : i + 4]
        for k in range(samples + 1):
            t = k / samples
            a, b, c, e = (1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t * t, t**3
            out.append((a * x0 + b * x1 + c * x2 + e * x3, a * y0 + b * y1 + c * y2 + e * y3))
    return out


def label_crossings(svg: str) -> list[str]:
    """Every edge label whose text an edge's path runs through, as ``label x edge``."""
    root = ET.fromstring(svg)
    edges = [g for g in root.iter(f"{SVG}g") if g.get("class") == "edge"]

    def name(g: ET.Element) -> str:
        title = g.find(f"{SVG}title")
        return "" if title is None or title.text is None else title.text

    paths = [
        (name(g), path_points(p.get("d", "")), float(p.get("stroke-width", "1")) / 2)
        for g in edges
        for p in g.iter(f"{SVG}path")
    ]
    found = []
    for g in edges:
        for text in g.iter(f"{SVG}text"):
            left, top, right, bottom = text_box(text)
            for edge, points, half in paths:
                if any(
                    left - half <= x <= right + half and top - half <= y <= bottom + half
                    for x, y in points
                ):
                    found.append(f"{''.join(text.itertext())!r} of {name(g)} x {edge}")
                    break
    return found


def text_overlaps(svg: str) -> list[str]:
    """Every edge label whose text box overlaps another text's (a node's, a label's)."""
    root = ET.fromstring(svg)
    labels = [
        t for g in root.iter(f"{SVG}g") if g.get("class") == "edge" for t in g.iter(f"{SVG}text")
    ]
    texts = list(root.iter(f"{SVG}text"))
    found = []
    for label in labels:
        a = text_box(label)
        for other in texts:
            b = text_box(other)
            if other is not label and a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]:
                found.append(f"{''.join(label.itertext())!r} x {''.join(other.itertext())!r}")
    return found


def test_the_geometry_finds_a_label_on_an_edge() -> None:
    # The check must be able to fail: a label drawn across a path, one beside it.
    svg = (
        f'<svg xmlns="{SVG[1:-1]}"><g class="edge"><title>a-&gt;b</title>'
        '<path d="M0,0C10,0 20,0 30,0"/>'
        '<text text-anchor="middle" x="15" y="3" font-size="9">24%</text></g>'
        '<g class="edge"><title>c-&gt;d</title><path d="M0,50C10,50 20,50 30,50"/>'
        '<text text-anchor="middle" x="15" y="44" font-size="9">5%</text></g></svg>'
    )
    assert label_crossings(svg) == ["'24%' of a->b x a->b"]
    assert text_overlaps(svg) == []
    beside = svg.replace('y="44"', 'y="6"')
    assert text_overlaps(beside) == ["'24%' x '5%'", "'5%' x '24%'"]
    assert text_width("24%", 9) == pytest.approx((556 + 556 + 889) * 9 / 1000)


LOGS = {"b2b-saas.yaml": "b2b-saas-events.csv", "helpdesk.yaml": "helpdesk.xes.gz"}
CASES = [(p.name, None) for p in sorted(EXAMPLES.glob("*.yaml"))] + sorted(LOGS.items())


def _benchmark(name: str) -> Any:
    """A generator script of benchmarks/, loaded from its file (the folder is no package)."""
    path = Path(__file__).resolve().parents[2] / "benchmarks" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"_bench_{name}", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses and pickling look the module up
    spec.loader.exec_module(module)
    return module


def _flow_svg(example: str, log: str | None, folder: Path) -> str:
    out = folder / "flow.svg"
    args = ["render", str(EXAMPLES / example), "--view", "flow", "-o", str(out)]
    if log is not None:
        args += ["--log", str(EXAMPLES / log)]
    result = runner.invoke(app, args)
    assert result.exit_code == ExitCode.OK, result.output
    svg = out.read_text(encoding="utf-8")
    assert re.search(r'class="edge"', svg)
    return svg


@pytest.mark.graphviz
@pytest.mark.parametrize(("example", "log"), CASES, ids=lambda v: v or "no log")
def test_no_flow_label_overlaps_other_text(example: str, log: str | None, tmp_path: Path) -> None:
    svg = _flow_svg(example, log, tmp_path)
    assert text_overlaps(svg) == []
    if log is not None:  # the shares say what they are a share of
        assert re.search(r">\d+% of customers</text>", svg)


@pytest.mark.graphviz
@pytest.mark.parametrize(("example", "log"), CASES, ids=lambda v: v or "no log")
def test_no_flow_label_sits_on_an_edge(example: str, log: str | None, tmp_path: Path) -> None:
    assert label_crossings(_flow_svg(example, log, tmp_path)) == []


@pytest.mark.graphviz
@pytest.mark.parametrize(("touchpoints", "seed"), [(24, 3), (40, 1), (40, 5)])
def test_no_label_sits_on_an_edge_of_a_generated_map(
    touchpoints: int, seed: int, tmp_path: Path
) -> None:
    # Maps and logs never drawn while the placement was written (40/1 is one where dot
    # alone crowds a handoff's label onto another edge in two layouts out of three).
    generate_map = _benchmark("generate").generate_map
    write_log = _benchmark("generate_events").write_log
    from journeygraph import load

    path = tmp_path / "map.yaml"
    path.write_text(generate_map(touchpoints, touchpoints // 4, seed=seed), encoding="utf-8")
    write_log(load(path), 400, tmp_path / "log.csv", seed=seed)
    for extra in ([], ["--log", str(tmp_path / "log.csv")]):
        out = tmp_path / "flow.svg"
        args = ["render", str(path), "--view", "flow", "-o", str(out), "--force", *extra]
        result = runner.invoke(app, args)
        assert result.exit_code == ExitCode.OK, result.output
        svg = out.read_text(encoding="utf-8")
        assert label_crossings(svg) == [], extra
        assert text_overlaps(svg) == [], extra
