"""Every diagram of the printed report, in Chromium at print size: no text under 6 pt, no
two pieces of text on top of each other.

The report is laid out as Chromium prints it (print media, a landscape A4 page
between its margins), and each SVG measured where it lands: a text's size at
print is its font size times the scale the page gives the drawing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from journeygraph.cli import ExitCode, app
from tests.conftest import EXAMPLES, generated_map

pytestmark = pytest.mark.browser

SMALLEST = 6.0
"""Points: the smallest text a printed diagram may hold."""
PAGE_WIDTH_PX = 273 / 25.4 * 96
"""A4 landscape less the report's 12 mm margins, in CSS pixels."""

MEASURE = """
svgs => svgs.filter(svg => svg.getBoundingClientRect().width > 0).map(svg => {
  const box = svg.getBoundingClientRect();
  const width = svg.viewBox.baseVal && svg.viewBox.baseVal.width
    ? svg.viewBox.baseVal.width : box.width;
  const scale = box.width / width;  // CSS px per user unit
  const texts = [...svg.querySelectorAll('text')].filter(t => t.textContent.trim());
  return {
    id: svg.closest('.diagram').id,
    texts: texts.map(t => {
      const r = t.getBoundingClientRect();
      const size = parseFloat(t.getAttribute('font-size') || getComputedStyle(t).fontSize);
      return {text: t.textContent, pt: size * scale * 72 / 96,
              x0: r.left, y0: r.top, x1: r.right, y1: r.bottom};
    }),
  };
})
"""


def _problems(found: list[dict[str, Any]]) -> list[str]:
    problems = []
    for svg in found:
        texts = svg["texts"]
        for t in texts:
            if t["pt"] < SMALLEST - 0.05:
                problems.append(f"{svg['id']}: {t['text']!r} prints at {t['pt']:.1f} pt")
        for i, a in enumerate(texts):
            for b in texts[i + 1 :]:
                dx = min(a["x1"], b["x1"]) - max(a["x0"], b["x0"])
                dy = min(a["y1"], b["y1"]) - max(a["y0"], b["y0"])
                # Lines of one label touch at their glyphs' ascent and descent: a
                # real overlap covers a third of the shorter line's height.
                lower = min(a["y1"] - a["y0"], b["y1"] - b["y0"])
                if dx > 1 and dy > lower / 3:
                    problems.append(f"{svg['id']}: {a['text']!r} overlaps {b['text']!r}")
    return problems


def _report(paths: list[Path], out: Path, log: Path | None = None) -> Path:
    """The report as the command line writes it (with the map's names for the log)."""
    args = ["report", *map(str, paths), "-o", str(out)] + (["--log", str(log)] if log else [])
    result = CliRunner().invoke(app, args)
    assert result.exit_code == ExitCode.OK, result.stderr
    return out / "report.html"


@pytest.mark.parametrize(
    ("names", "log"),
    [
        (["b2b-saas.yaml"], "b2b-saas-events.csv"),
        (["mortgage.yaml", "healthcare-outpatient.yaml"], None),
        (["helpdesk.yaml"], "helpdesk.xes.gz"),
        (["generated"], None),
    ],
    ids=["b2b-with-log", "mortgage-and-healthcare", "helpdesk-with-log", "generated-150"],
)
def test_printed_diagrams_are_readable(
    names: list[str], log: str | None, tmp_path: Path, browser_page: Any
) -> None:
    paths = [generated_map(tmp_path) if n == "generated" else EXAMPLES / n for n in names]
    page_file = _report(paths, tmp_path / "report", EXAMPLES / log if log else None)
    page, _, _ = browser_page
    page.set_viewport_size({"width": round(PAGE_WIDTH_PX), "height": 800})
    page.emulate_media(media="print")
    page.goto(page_file.as_uri())
    page.wait_for_load_state("load")
    found = page.eval_on_selector_all(".diagram svg", MEASURE)
    assert len(found) >= 4 * len(paths)
    assert sum(len(svg["texts"]) for svg in found) > 100
    assert _problems(found) == []
    # What prints as a note instead says how much it leaves out: counted again from
    # the map file (touchpoints per stage) with plain YAML.
    import re
    from collections import Counter

    import yaml

    per_stage: Counter[str] = Counter()
    for path in paths:
        for t in yaml.safe_load(path.read_text(encoding="utf-8"))["touchpoints"]:
            per_stage[t["stage"]] += 1
    html = page_file.read_text(encoding="utf-8")
    notes = re.findall(r"\((\d+) touchpoints?\) does not fit[^<]*?--stage (\S+) ", html)
    for n, stage in notes:
        assert int(n) == per_stage[stage], stage
    # A stage too big as drawn prints closer packed, saying how many steps to other
    # stages it leaves out: counted again from the map file.
    stages, touchpoints = {}, []
    for path in paths:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        stages.update({s.get("name", s["id"]): s["id"] for s in data["stages"]})
        touchpoints += data["touchpoints"]
    stage_of = {t["id"]: t["stage"] for t in touchpoints}
    packed = re.findall(r"the (\d+) steps between ([^<]+?) and other stages", html)
    for n, name in packed:
        crossing = sum(
            (t["stage"] == stages[name])
            != (stage_of[step if isinstance(step, str) else step["to"]] == stages[name])
            for t in touchpoints
            for step in t.get("next", [])
        )
        assert int(n) == crossing, name
    if names == ["generated"]:  # 30 densely linked touchpoints a stage: each packed
        assert not notes
        assert {stages[name] for _, name in packed} == set(per_stage)
        # The heat map of 30 functions prints in parts, each function in exactly one.
        parts = re.findall(r'data-view="matrix-printed-\d+">(.*?)</div>', html, re.S)
        assert len(parts) >= 2
        assert f"The heat map prints in {len(parts)} parts" in html
        data = yaml.safe_load(paths[0].read_text(encoding="utf-8"))
        for f in data["functions"]:
            held = rf">{re.escape(f['name'])}(?: \((?:overloaded|idle)\))?<"
            assert sum(bool(re.search(held, part)) for part in parts) == 1, f["name"]
