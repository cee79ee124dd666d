"""The journey canvas, read back from its SVG: geometry, content and figures.

Text boxes are measured here with Pillow on DejaVu Sans (the widest font the
canvas may be shown in, and the one it is measured in), from each ``<text>``'s
own position and size: a text that overlaps another, or leaves its cell, fails.
Figures are checked against the report's view and, for the CSV log, against a
count made here from the log's rows.
"""

from __future__ import annotations

import csv
import functools
import itertools
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import matplotlib
import pytest
from lxml import etree
from PIL import ImageFont
from typer.testing import CliRunner

import journeygraph
from journeygraph.actions import action_plan
from journeygraph.cli import ExitCode, app
from journeygraph.evidence import Evidence, compare, discover, read_log
from journeygraph.evidence.reading.names import names_of
from journeygraph.model import JourneyMap
from journeygraph.render.emotion import emotion_curves
from journeygraph.render.journey_canvas import MIN_FONT, journey_canvas
from journeygraph.render.limits import MAX_CANVAS_TOUCHPOINTS
from journeygraph.report.view import evidence_view
from tests.conftest import EXAMPLES, generated_map

# One worker runs them all (--dist loadgroup), so each canvas is drawn once (_drawn).
pytestmark = pytest.mark.xdist_group("journey-canvases")

SVG = "{http://www.w3.org/2000/svg}"
CASES = [
    ("mortgage.yaml", None),
    ("healthcare-outpatient.yaml", None),
    ("b2b-saas.yaml", None),
    ("b2b-saas.yaml", "b2b-saas-events.csv"),
    ("helpdesk.yaml", None),
    ("helpdesk.yaml", "helpdesk.xes.gz"),
]
IDS = [f"{m.split('.')[0]}{'-with-log' if log else ''}" for m, log in CASES]


@functools.cache
def _font(bold: bool) -> ImageFont.FreeTypeFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(f"{matplotlib.get_data_path()}/fonts/ttf/{name}", 100)


@dataclass(frozen=True)
class Box:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    size: float
    cell: str

    def meets(self, other: Box) -> bool:
        return (
            self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 and other.y0 < self.y1
        )

    def inside(self, x0: float, y0: float, x1: float, y1: float) -> bool:
        slack = 0.01
        return (
            self.x0 >= x0 - slack
            and self.x1 <= x1 + slack
            and self.y0 >= y0 - slack
            and self.y1 <= y1 + slack
        )


@dataclass
class Page:
    root: etree._Element
    boxes: list[Box]
    cells: dict[str, tuple[float, float, float, float, str, str]]
    """Cell id to its frame (x0, y0, x1, y1), lane and stage."""
    lanes: dict[str, tuple[float, float]]
    """Lane key to its band, top to bottom."""

    def texts(self, lane: str, stage: str | None = None) -> list[str]:
        """The texts of a lane's cells (of one stage), in order."""
        return [
            b.text
            for b in self.boxes
            if self.cells[b.cell][4] == lane and (stage is None or self.cells[b.cell][5] == stage)
        ]


def _attr(element: etree._Element, name: str) -> str:
    return str(element.get(name, ""))


def _page(svg: str) -> Page:
    root = etree.fromstring(svg.encode("utf-8"))
    cells = {}
    for rect in root.iter(f"{SVG}rect"):
        if _attr(rect, "class") == "cell":
            x, y = float(_attr(rect, "x")), float(_attr(rect, "y"))
            w, h = float(_attr(rect, "width")), float(_attr(rect, "height"))
            cells[_attr(rect, "id")] = (
                x,
                y,
                x + w,
                y + h,
                _attr(rect, "data-lane"),
                _attr(rect, "data-stage"),
            )
    lanes = {}
    for rect in root.iter(f"{SVG}rect"):
        if _attr(rect, "class") == "lane":
            y = float(_attr(rect, "y"))
            lanes[_attr(rect, "data-lane")] = (y, y + float(_attr(rect, "height")))
    boxes = []
    for text in root.iter(f"{SVG}text"):
        content = (text.text or "") + "".join(
            (child.tail or "") for child in text if child.tag == f"{SVG}title"
        )
        if text.text is None:  # a tooltip comes first; the shown text is its tail
            content = "".join(child.tail or "" for child in text)
        size = float(_attr(text, "font-size"))
        font = _font(_attr(text, "font-weight") == "bold")
        ascent, descent = font.getmetrics()
        x, y = float(_attr(text, "x")), float(_attr(text, "y"))
        width = font.getlength(content) * size / 100
        boxes.append(
            Box(
                content,
                x,
                y - ascent * size / 100 * 0.8,  # cap height, not the font's whole ascent
                x + width,
                y + descent * size / 100 * 0.8,
                size,
                _attr(text, "data-cell"),
            )
        )
    return Page(root, boxes, cells, lanes)


@functools.cache
def _evidence(map_name: str, log_name: str) -> Evidence:
    m = journeygraph.load(EXAMPLES / map_name)
    names = names_of(m)
    log = read_log(EXAMPLES / log_name, names=names.touchpoints, performers=names.performers)
    return compare(m, discover(log))


@functools.cache
def _drawn(map_name: str, log_name: str | None) -> tuple[JourneyMap, Evidence | None, list[Page]]:
    m = journeygraph.load(EXAMPLES / map_name)
    evidence = _evidence(map_name, log_name) if log_name else None
    return m, evidence, [_page(svg) for svg in journey_canvas(m, evidence=evidence)]


def _check_geometry(page: Page) -> None:
    width, height = (float(v) for v in _attr(page.root, "viewBox").split()[2:])
    assert (width, height) == (842, 595)  # points on a landscape A4 sheet
    assert page.boxes
    for box in page.boxes:
        assert box.size >= MIN_FONT >= 6, box
        x0, y0, x1, y1, lane, _ = page.cells[box.cell]
        assert box.inside(x0, y0, x1, y1), f"{box} leaves its cell {page.cells[box.cell]}"
        assert x0 >= 0
        assert x1 <= width
        assert y0 >= 0
        assert y1 <= height
        if lane in page.lanes:
            top, bottom = page.lanes[lane]
            assert top - 0.01 <= y0, f"{box} leaves lane {lane}"
            assert y1 <= bottom + 0.01, f"{box} leaves lane {lane}"
    for a, b in itertools.combinations(page.boxes, 2):
        assert not a.meets(b), f"{a} overlaps {b}"


@pytest.mark.parametrize(("map_name", "log_name"), CASES, ids=IDS)
def test_no_text_overlaps_or_leaves_its_lane(map_name: str, log_name: str | None) -> None:
    _, _, pages = _drawn(map_name, log_name)
    assert len(pages) == 1
    _check_geometry(pages[0])


def _joined(texts: list[str]) -> str:
    return " ".join(texts)


@pytest.mark.parametrize(("map_name", "log_name"), CASES, ids=IDS)
def test_every_lane_is_filled_from_the_map(map_name: str, log_name: str | None) -> None:
    m, _, (page,) = _drawn(map_name, log_name)
    fn = {f.id: f.label for f in m.functions}
    for t in m.touchpoints:
        lane = {
            "customer": "actions",
            "frontstage": "touchpoints",
            "backstage": "backstage",
            "support": "backstage",
        }[t.layer]
        shown = _joined(page.texts(lane, t.stage))
        assert t.label in shown, (t.label, lane)
        if t.layer == "frontstage" and t.channel:
            assert f"{t.label} ({t.channel})" in shown
        if t.layer in ("customer", "frontstage"):
            owners = _joined(page.texts("frontstage", t.stage))
            for f in [*t.owners.responsible, *t.owners.accountable]:
                assert fn[f] in owners
    handoffs = _joined(page.texts("handoffs"))
    G = m.to_networkx()
    needed = {
        (f, g)
        for a, b in journeygraph.algorithms.changes_of_hands(G)
        for f in m.touchpoints[[t.id for t in m.touchpoints].index(a)].owners.responsible
        for g in m.touchpoints[[t.id for t in m.touchpoints].index(b)].owners.responsible
    }
    for h in m.handoffs:
        if (h.from_, h.to) in needed and any(h.covers(a, b) for a, b in _changes(m, h)):
            assert f"{fn[h.from_]} → {fn[h.to]}" in handoffs
    for gap in journeygraph.algorithms.handoff_gaps(G):
        names = ", ".join(fn[g] for g in gap.to_functions)
        assert f"→ {names}: no agreed handoff" in handoffs
    curves = emotion_curves(m)
    strips = [k for k in page.lanes if k.startswith("emotion-")]
    assert len(strips) == min(len(curves), 3)
    dots = list(page.root.iter(f"{SVG}circle"))
    assert len(dots) == sum(len(c.points) for c in curves[:3])
    pains = [p for p in page.root.iter(f"{SVG}path") if p.get("class") == "pain"]
    assert len(pains) == sum(len(c.pains) for c in curves[:3])


def _changes(m: JourneyMap, h: journeygraph.model.Handoff) -> list[tuple[str, str]]:
    """The transitions where work passes from ``h``'s giver to its taker, by hand."""
    by_id = {t.id: t for t in m.touchpoints}
    return [
        (t.id, n.to)
        for t in m.touchpoints
        for n in t.next
        if h.from_ in t.owners.responsible
        and h.to in by_id[n.to].owners.responsible
        and not set(t.owners.responsible) & set(by_id[n.to].owners.responsible)
    ]


@pytest.mark.parametrize(("map_name", "log_name"), CASES, ids=IDS)
def test_every_action_of_the_plan_is_marked(map_name: str, log_name: str | None) -> None:
    m, evidence, (page,) = _drawn(map_name, log_name)
    plan = action_plan(m, journeygraph.audit(m), evidence)
    marked = {int(t) for t in page.texts("findings") if t.isdigit()}
    assert marked == {a.priority for a in plan}
    # A touchpoint's finding is marked in its stage's column.
    for action in plan:
        for f in action.findings:
            if f.subject.kind == "touchpoint" and f.entities[0] in {t.id for t in m.touchpoints}:
                stage = next(t.stage for t in m.touchpoints if t.id == f.entities[0])
                assert str(action.priority) in page.texts("findings", stage)


def _by_hand(m: JourneyMap, log: Path) -> tuple[dict[str, int], dict[str, int]]:
    """Customers who met each stage, and who went on to the next, counted from the rows."""
    stage_of = {t.id: t.stage for t in m.touchpoints}
    met: dict[str, set[str]] = defaultdict(set)
    with log.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["touchpoint"] in stage_of:
                met[stage_of[row["touchpoint"]]].add(row["case_id"])
    order = [s.id for s in m.stages]
    onward = {a: len(met[a] & met[b]) for a, b in itertools.pairwise(order) if met[a]}
    return {s: len(c) for s, c in met.items()}, onward


def test_the_stage_figures_are_the_reports_and_the_logs() -> None:
    m, evidence, (page,) = _drawn("b2b-saas.yaml", "b2b-saas-events.csv")
    assert evidence is not None
    met, onward = _by_hand(m, EXAMPLES / "b2b-saas-events.csv")
    report = {row[0]: row for row in evidence_view(evidence).stages}
    for s in m.stages:
        header = page.texts("header", s.id)
        assert f"{met[s.id]:,} customers" in header
        assert report[s.label][1] == met[s.id]
        if report[s.label][4]:
            assert f"on to next: {report[s.label][4]}" in header
            assert report[s.label][4].startswith(f"{onward[s.id]:,} (")


@pytest.mark.parametrize(
    ("map_name", "log_name"), [c for c in CASES if c[1]], ids=[i for i in IDS if "log" in i]
)
def test_handoff_waits_are_the_reports(map_name: str, log_name: str) -> None:
    m, evidence, (page,) = _drawn(map_name, log_name)
    assert evidence is not None
    handoffs = _joined(page.texts("handoffs"))
    breached = evidence.overlay().breached
    for label in breached.values():  # as the handoff network and the blueprint label it
        assert f"{label}, breached" in handoffs
    for (f, g), (_, _, median, _) in evidence.handoff_waits.items():
        if (f, g) not in breached:
            sla = next(h.sla for h in m.handoffs if (h.from_, h.to) == (f, g))
            assert f"SLA {sla}, median {journeygraph.escape.duration(median)}" in handoffs


def test_forty_touchpoints_over_seven_stages_fit_one_sheet() -> None:
    stages = [f"Stage number {k}" for k in range(7)]
    touchpoints = [
        {
            "id": f"t{i}",
            "name": f"A touchpoint with a longer name {i}",
            "stage": f"s{i % 7}",
            "channel": "web",
            "layer": ["customer", "frontstage", "frontstage", "backstage"][i % 4],
            "owners": {"R": f"f{i % 6}", "A": f"f{(i + 1) % 6}"},
            "next": [f"t{i + 1}"] if i < 39 else [],
            "experience": {"p": {"emotion": i % 5 - 2, "pain_points": ["slow"] if i % 5 else []}},
        }
        for i in range(40)
    ]
    m = JourneyMap.model_validate(
        {
            "version": 1,
            "journey": {"id": "forty", "name": "Forty touchpoints"},
            "stages": [{"id": f"s{k}", "name": name} for k, name in enumerate(stages)],
            "functions": [{"id": f"f{k}", "name": f"Function {k}"} for k in range(6)],
            "personas": [{"id": "p", "name": "Buyer", "goals": ["Buy quickly"]}],
            "touchpoints": touchpoints,
        }
    )
    (svg,) = journey_canvas(m)
    page = _page(svg)
    _check_geometry(page)
    assert len({page.cells[b.cell][5] for b in page.boxes if page.cells[b.cell][5]}) == 7


def test_the_generated_benchmark_map_prints_in_parts(tmp_path: Path) -> None:
    m = journeygraph.load(generated_map(tmp_path))
    pages = [_page(svg) for svg in journey_canvas(m)]
    assert 1 < len(pages) <= 4
    for page in pages:
        _check_geometry(page)
    shown = " ".join(" ".join(p.texts("touchpoints")) for p in pages)
    for t in m.touchpoints:
        if t.layer == "frontstage":
            assert t.label in shown


def test_an_a3_poster_is_the_a4_sheet_enlarged() -> None:
    m = journeygraph.load(EXAMPLES / "mortgage.yaml")
    (a3,) = journey_canvas(m, paper="a3")
    root = etree.fromstring(a3.encode("utf-8"))
    assert (root.get("width"), root.get("height")) == ("420mm", "297mm")
    assert root.get("viewBox") == "0 0 842 595"


def test_one_persona_draws_its_strip_only() -> None:
    m = journeygraph.load(EXAMPLES / "mortgage.yaml")
    page = _page(journey_canvas(m, persona="remortgager")[0])
    assert [k for k in page.lanes if k.startswith("emotion")] == ["emotion-0"]
    assert "Emotion: Remortgager" in _joined(page.texts("emotion-0"))
    assert not any("First-time buyer" in t for t in page.texts("title"))


HOSTILE = '<script>alert(1)</script> & "q" ]]> \x1b[2J \u202e'


def test_hostile_names_stay_text() -> None:
    m = JourneyMap.model_validate(
        {
            "version": 1,
            "journey": {"id": "h", "name": HOSTILE},
            "stages": [{"id": "s", "name": HOSTILE}],
            "functions": [{"id": "f", "name": HOSTILE}, {"id": "g", "name": "G"}],
            "personas": [{"id": "p", "name": HOSTILE, "goals": [HOSTILE]}],
            "touchpoints": [
                {
                    "id": "a",
                    "name": HOSTILE,
                    "stage": "s",
                    "channel": HOSTILE,
                    "owners": {"R": "f"},
                    "next": ["b"],
                    "experience": {"p": {"emotion": -2, "quotes": [HOSTILE]}},
                },
                {"id": "b", "name": "B", "stage": "s", "layer": "backstage", "owners": {"R": "g"}},
            ],
        }
    )
    (svg,) = journey_canvas(m)
    page = _page(svg)  # parses as XML
    assert not list(page.root.iter(f"{SVG}script"))
    assert "\x1b" not in svg
    assert "\u202e" not in svg
    shown = " ".join(b.text for b in page.boxes)
    assert "<script>alert(1)</script>" in shown
    assert "\\x1b[2J" in shown
    _check_geometry(page)


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stderr


def test_the_command_writes_the_canvas(tmp_path: Path) -> None:
    out = tmp_path / "journey.svg"
    code, err = _run("render", str(EXAMPLES / "mortgage.yaml"), "--view", "canvas", "-o", str(out))
    assert code == ExitCode.OK, err
    _check_geometry(_page(out.read_text(encoding="utf-8")))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-o", "x.dot"], "the canvas is drawn as .svg, .pdf or .png, not .dot"),
        (["-o", "x.svg", "--persona", "nobody"], "no persona 'nobody' in the map"),
        (["-o", "x.svg", "--stage", "apply"], "--stage and --one-row go with the flow"),
    ],
)
def test_the_command_refuses_what_it_cannot_draw(
    tmp_path: Path, args: list[str], message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, err = _run("render", str(EXAMPLES / "mortgage.yaml"), "--view", "canvas", *args)
    assert code == ExitCode.ERROR
    assert message in err
    assert "Traceback" not in err


def test_paper_and_persona_go_with_the_canvas(tmp_path: Path) -> None:
    out = tmp_path / "flow.svg"
    code, err = _run("render", str(EXAMPLES / "mortgage.yaml"), "--paper", "a3", "-o", str(out))
    assert code == ExitCode.ERROR
    assert "--persona and --paper go with --view canvas" in err


@pytest.mark.browser
@pytest.mark.parametrize("suffix", ["pdf", "png"])
def test_the_canvas_prints_on_one_sheet(tmp_path: Path, suffix: str) -> None:
    from pypdf import PdfReader

    out = tmp_path / f"journey.{suffix}"
    code, err = _run(
        "render",
        str(EXAMPLES / "mortgage.yaml"),
        "--view",
        "canvas",
        "--paper",
        "a3",
        "-o",
        str(out),
    )
    assert code == ExitCode.OK, err
    if suffix == "pdf":
        (sheet,) = PdfReader(out).pages
        assert (round(float(sheet.mediabox.width)), round(float(sheet.mediabox.height))) == (
            1191,
            842,
        )
        assert "Mortgage application journey" in sheet.extract_text()
    else:
        from PIL import Image

        with Image.open(out) as image:  # 420 x 297 mm at 192 dots an inch
            width, height = image.size
            assert abs(width - 3175) <= 2
            assert abs(height - 2245) <= 2


def test_past_three_personas_the_canvas_says_how_many_it_leaves_out() -> None:
    personas = [{"id": f"p{k}", "name": f"Persona {k}", "goals": [f"Goal {k}"]} for k in range(5)]
    m = JourneyMap.model_validate(
        {
            "version": 1,
            "journey": {"id": "many", "name": "Many personas"},
            "stages": [{"id": "s", "name": "Stage"}],
            "personas": personas,
            "touchpoints": [
                {
                    "id": "t",
                    "stage": "s",
                    "experience": {f"p{k}": {"emotion": k % 5 - 2} for k in range(5)},
                }
            ],
        }
    )
    page = _page(journey_canvas(m)[0])
    assert [k for k in page.lanes if k.startswith("emotion")] == [f"emotion-{k}" for k in range(3)]
    assert "The emotion of 2 more personas is not drawn" in _joined(page.texts("title"))
    _check_geometry(page)
    one = _page(journey_canvas(m, persona="p4")[0])
    assert "Emotion: Persona 4" in _joined(one.texts("emotion-0"))


def _text(element: etree._Element) -> str:
    return "".join(str(t) for t in element.itertext())


@pytest.mark.parametrize(("map_name", "log_name"), CASES, ids=IDS)
def test_the_texts_naming_an_element_say_which_for_the_workshop_to_highlight(
    map_name: str, log_name: str | None
) -> None:
    from journeygraph.render.text import element_id

    m, _, (page,) = _drawn(map_name, log_name)
    cells = {r.get("id"): r for r in page.root.iter(f"{SVG}rect") if r.get("class") == "cell"}
    named: dict[str, list[etree._Element]] = defaultdict(list)
    for text in page.root.iter(f"{SVG}text"):
        ref = text.get("data-ref")
        if ref:
            named[ref].append(text)
    lanes = {"customer": "actions", "frontstage": "touchpoints"}
    for t in m.touchpoints:
        texts = named.pop(element_id("touchpoint", t.id))
        assert {cells[x.get("data-cell")].get("data-lane") for x in texts} == {
            lanes.get(t.layer, "backstage")
        }
        assert {cells[x.get("data-cell")].get("data-stage") for x in texts} == {t.stage}
        assert t.label in " ".join(_text(x) for x in texts)
    fn = {f.id: f.label for f in m.functions}
    owning = {
        f
        for t in m.touchpoints
        if t.layer in lanes
        for f in [*t.owners.responsible, *t.owners.accountable]
    }
    for f in owning:
        texts = named.pop(element_id("function", f))
        assert {cells[x.get("data-cell")].get("data-lane") for x in texts} == {"frontstage"}
        assert fn[f] in " ".join(_text(x) for x in texts)
    for s in m.stages:
        if any(t.stage == s.id for t in m.touchpoints):
            texts = named.pop(element_id("stage", s.id))
            assert {cells[x.get("data-cell")].get("data-lane") for x in texts} == {"header"}
    assert not named  # nothing else is named


def _stage_counts(m: JourneyMap) -> dict[str, int]:
    counts = dict.fromkeys((s.id for s in m.stages), 0)
    for t in m.touchpoints:
        counts[t.stage] += 1
    return counts


def test_at_its_bound_the_canvas_draws_every_touchpoint(tmp_path: Path) -> None:
    m = journeygraph.load(generated_map(tmp_path, MAX_CANVAS_TOUCHPOINTS, 100))
    pages = [_page(svg) for svg in journey_canvas(m)]
    assert len(pages) > 1
    shown = " ".join(" ".join(p.texts("touchpoints")) for p in pages)
    assert "Summarised" not in " ".join(b.text for p in pages for b in p.boxes)
    assert "more" not in shown
    assert all(t.label in shown for t in m.touchpoints if t.layer == "frontstage")


def test_past_its_bound_the_canvas_is_a_column_a_stage_that_counts_the_rest(
    tmp_path: Path,
) -> None:
    m = journeygraph.load(generated_map(tmp_path, MAX_CANVAS_TOUCHPOINTS + 1, 100))
    (page,) = [_page(svg) for svg in journey_canvas(m)]
    _check_geometry(page)
    title = " ".join(page.texts("title"))
    assert f"Summarised: {MAX_CANVAS_TOUCHPOINTS + 1:,} touchpoints is more than the" in title
    counts = _stage_counts(m)
    for s in m.stages:
        header = page.texts("header", s.id)
        assert header[0] == s.label  # one column, not "Decide 1/3"
        assert header[1] == f"{counts[s.id]:,} touchpoints"
        names = page.texts("touchpoints", s.id)
        front = [t.label for t in m.touchpoints if t.stage == s.id and t.layer == "frontstage"]
        assert names[-1].startswith("+ ")
        assert names[:-1] == front[: len(names) - 1]
        assert int(names[-1].split()[1].replace(",", "")) == len(front) - (len(names) - 1)
        findings = page.texts("findings", s.id)
        numbers = [t for t in findings if t.isdigit()]
        assert len(numbers) <= 12
        if findings and not findings[0].isdigit():
            assert findings[0].endswith("actions, the first 12:")
            assert numbers == sorted(numbers, key=int)


def test_a_summarised_canvas_draws_each_stages_mean_emotion(tmp_path: Path) -> None:
    m = journeygraph.load(generated_map(tmp_path, MAX_CANVAS_TOUCHPOINTS + 1, 100))
    # The generated emotions are all -1: make the stages differ, one persona rising
    # and the other falling, every third touchpoint of a stage a step off the stage's.
    position = {s.id: k for k, s in enumerate(m.stages)}
    for i, t in enumerate(m.touchpoints):
        for e in t.experience:
            k = position[t.stage] - 2 if e.persona == "p1" else 2 - position[t.stage]
            e.emotion = k if i % 3 or abs(k) == 2 else k + 1
    (svg,) = journey_canvas(m)
    root = etree.fromstring(svg.encode("utf-8"))
    by_hand: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for t in m.touchpoints:
        for e in t.experience:
            if e.emotion is not None and e.persona is not None:
                by_hand[e.persona][t.stage].append(e.emotion)
    lanes = {
        _attr(r, "data-lane"): r for r in root.iter(f"{SVG}rect") if _attr(r, "class") == "lane"
    }
    for k, p in enumerate(m.personas):
        top = float(_attr(lanes[f"emotion-{k}"], "y"))
        bottom = top + float(_attr(lanes[f"emotion-{k}"], "height"))
        dots = [
            float(_attr(c, "cy"))
            for c in root.iter(f"{SVG}circle")
            if top <= float(_attr(c, "cy")) <= bottom
        ]
        means = [sum(v) / len(v) for s in m.stages if (v := by_hand[p.id][s.id])]
        assert len(dots) == len(means)
        # Higher on the page is happier: the dots' heights are the means' order, evenly.
        level = [(dots[0] - y) for y in dots]
        assert level[1]
        scale = (means[1] - means[0]) / level[1]
        for y, mean in zip(level, means, strict=True):
            assert y * scale == pytest.approx(mean - means[0], abs=1e-2)


def test_the_fonts_are_matplotlibs_found_without_importing_it() -> None:
    from journeygraph.render.journey_canvas import _fonts_folder

    assert _fonts_folder() == f"{matplotlib.get_data_path()}/fonts/ttf"
