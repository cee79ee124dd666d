"""The customer layer end to end: from `init --industry banking` to the report."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
from markupsafe import escape
from typer.testing import CliRunner

import journeygraph
from journeygraph.cli import ExitCode, app
from journeygraph.escape import markdown as md
from journeygraph.render.emotion import emotion_curves, emotion_svg, journey_order
from journeygraph.report.html_report import html_report
from journeygraph.report.markdown_report import markdown_report
from journeygraph.report.view import build_report
from tests.conftest import EXAMPLES

runner = CliRunner()


def _run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout + result.stderr


@pytest.mark.graphviz
def test_a_banking_journey_from_init_to_report(tmp_path: Path) -> None:
    """Written from the starter, audited, drawn and reported, with no comment standing in."""
    target = tmp_path / "mortgage.yaml"
    assert _run("init", str(target), "--industry", "banking")[0] == ExitCode.OK
    # The consultant adds a pain point nobody has planned for and an outside firm's
    # handoff without an SLA: the audit says so, in the map's own words.
    text = target.read_text(encoding="utf-8").replace(
        '    experience: {emotion: 2, quotes: ["Finally!"]}',
        '    experience: {emotion: 2, quotes: ["Finally!"], pain_points: [Too much paper]}',
    )
    text = text.replace(", name: Valuation report, sla: 3d}", ", name: Valuation report}")
    target.write_text(text, encoding="utf-8")
    code, out = _run("audit", str(target), "--fail-on", "never", "-f", "json")
    assert code == ExitCode.OK
    rules = set(re.findall(r'"rule": "([a-z-]+)"', out))
    assert {"unaddressed-pain-point", "handoff-without-sla"} <= rules
    code, out = _run("report", str(target), "-o", str(tmp_path / "report"))
    assert code == ExitCode.OK, out
    page = (tmp_path / "report" / "report.html").read_text(encoding="utf-8")
    assert "How the journey feels" in page
    assert "Too much paper" in page
    assert "Personal document checklist" in page
    assert "outside firm" in page
    assert "SLA 2d" in page
    assert (tmp_path / "report" / "mortgage-emotion.svg").exists()
    # The pain point survives the workbook round trip, in its own sheet.
    book = tmp_path / "mortgage.xlsx"
    assert _run("export", str(target), "-o", str(book))[0] == ExitCode.OK
    sheet = openpyxl.load_workbook(book)["pain_points"]
    assert ["offer", None, "Too much paper"] in [list(r) for r in sheet.iter_rows(values_only=True)]
    back = tmp_path / "back.yaml"
    assert _run("import", str(book), "-o", str(back))[0] == ExitCode.OK
    assert journeygraph.load(back) == journeygraph.load(target)


def test_emotion_curves_follow_the_map() -> None:
    """Each persona's curve, worked out again from the map's own lists."""
    m = journeygraph.load(EXAMPLES / "mortgage.yaml")
    order = journey_order(m)
    assert [t.stage for t in order] == sorted(
        (t.stage for t in m.touchpoints), key=[s.id for s in m.stages].index
    )
    for persona, curve in zip(m.personas, emotion_curves(m), strict=True):
        assert curve.persona == persona.label
        expected = []
        for i, t in enumerate(order):
            felt = {e.persona: e.emotion for e in t.experience if e.emotion is not None}
            value = felt.get(persona.id, felt.get(None))
            if value is not None:
                expected.append((i, value))
        assert curve.points == expected


def test_a_map_without_emotions_draws_no_curve() -> None:
    m = journeygraph.load(EXAMPLES / "b2b-saas.yaml")
    assert emotion_curves(m) == []
    assert emotion_svg(m) is None


def test_names_in_the_curve_are_drawn_never_written_as_svg_text() -> None:
    m = journeygraph.loads(
        "version: 1\njourney: {id: j}\nstages: [{id: s}]\n"
        "personas: [{id: p, name: '<script>alert(1)</script>'}]\n"
        "touchpoints: [{id: t, name: '</svg><b>x', stage: s, exit: true,"
        " experience: {persona: p, emotion: -1}}]\n",
        "hostile.yaml",
    )
    svg = emotion_svg(m)
    assert svg is not None
    assert "<script" not in svg
    assert "</svg><b>" not in svg
    assert svg.count("<svg") == 1


@pytest.mark.graphviz
def test_the_report_lists_pain_points_and_opportunities_by_stage() -> None:
    m = journeygraph.load(EXAMPLES / "mortgage.yaml")
    result = journeygraph.audit(m)
    report = build_report([m], [result])
    (part,) = report.journeys
    # Ranked within each stage: the severity of the finding that no opportunity
    # addresses the pain (none last), then the emotion felt (worst first, none last),
    # then map order.
    unaddressed = [f for f in result.findings if f.rule == "unaddressed-pain-point"]
    severity = {f.entities[0]: f.severity.rank for f in unaddressed}
    written = [
        (t.stage, -severity.get(t.id, -1), e.emotion is None, e.emotion or 0, i, p)
        for i, (t, e, p) in enumerate(
            (t, e, p) for t in m.touchpoints for e in t.experience for p in e.pain_points
        )
    ]
    shown = [p for st in part.stages for p in st.pain_points]
    assert len(shown) == len(written)
    expected = [w[-1] for s in m.stages for w in sorted(w for w in written if w[0] == s.id)]
    assert [p.text for p in shown] == expected
    improved = {t for o in m.opportunities for t in o.touchpoints}
    hurting = {t.id: t.label for t in m.touchpoints if any(e.pain_points for e in t.experience)}
    assert {p.touchpoint for p in shown if p.addressed} == {
        label for t, label in hurting.items() if t in improved
    }
    page = html_report(report)
    text = markdown_report(report)
    for o in m.opportunities:
        assert str(escape(o.label)) in page
        assert md(o.label) in text


PAINS = """\
version: 1
journey: {id: pains}
stages: [{id: apply}]
personas: [{id: buyer, name: Buyer}]
touchpoints:
  - id: form
    stage: apply
    entry: true
    next: [upload]
    experience: {pain_points: [Long form], emotion: -1}
  - id: upload
    stage: apply
    next: [call]
    experience:
      - {pain_points: [Upload fails], emotion: -2}
      - {persona: buyer, pain_points: [No progress shown], emotion: 0}
  - id: call
    stage: apply
    exit: true
    experience: {pain_points: [On hold], emotion: -2}
  - {id: quiet, stage: apply, exit: true, experience: {pain_points: [Unclear]}}
opportunities: [{id: fix-call, touchpoints: [call]}]
"""


@pytest.mark.graphviz
def test_pain_points_rank_by_severity_then_emotion() -> None:
    m = journeygraph.loads(PAINS)
    report = build_report([m], [journeygraph.audit(m)])
    (stage,) = report.journeys[0].stages
    # Unaddressed (a medium finding) before addressed; within each, the worst emotion
    # first and none last; map order breaks ties. 'On hold' feels -2 but an
    # opportunity addresses it: it comes after every unaddressed pain.
    assert [(p.text, p.emotion) for p in stage.pain_points] == [
        ("Upload fails", -2),
        ("Long form", -1),
        ("No progress shown", 0),
        ("Unclear", None),
        ("On hold", -2),
    ]
    assert "- upload (every customer, feels -2): “Upload fails”" in markdown_report(report)


def test_drawing_the_curve_leaves_matplotlibs_settings_alone() -> None:
    """A notebook that imports journeygraph keeps its own plot settings."""
    import matplotlib

    before = dict(matplotlib.rcParams)
    assert emotion_svg(journeygraph.load(EXAMPLES / "mortgage.yaml")) is not None
    assert dict(matplotlib.rcParams) == before


def test_the_emotion_curve_breaks_at_stages_without_data_and_marks_pain_points() -> None:
    from journeygraph.testing import fragment

    m = fragment(
        """
stages: [{id: a}, {id: b}, {id: c}, {id: d}]
personas: [{id: p, name: P}]
touchpoints:
  - {id: a1, stage: a, next: [a2], experience: {emotion: 1}}
  - {id: a2, stage: a, next: [b1], experience: {emotion: -1, pain_points: [slow]}}
  - {id: b1, stage: b, next: [c1], experience: {emotion: 0}}
  - {id: c1, stage: c, next: [d1], experience: {p: {pain_points: [lost]}}}
  - {id: d1, stage: d, exit: true, experience: {emotion: 2}}
"""
    )
    (curve,) = emotion_curves(m)
    # b1 -> d1 crosses stage c, where P feels nothing: two runs, never a line across c.
    assert curve.segments == [[(0, 1), (1, -1), (2, 0)], [(4, 2)]]
    # Pain at a2 (on the curve) and at c1 (no emotion there: under the curve).
    assert curve.pains == [(1, -1), (3, None)]
    svg = emotion_svg(m)
    assert svg is not None
    # Drawn: the two pain marks and the legend's (matplotlib writes each marker's
    # definition once and uses it per point).
    assert svg.count("stroke: #c62828") >= 2


def _width_in(svg: str) -> float:
    width = re.search(r'<svg[^>]*width="([\d.]+)pt"', svg)
    assert width is not None
    return float(width[1]) / 72


def test_past_its_bound_the_emotion_chart_plots_each_stages_mean(tmp_path: Path) -> None:
    from journeygraph.render.emotion import stage_emotions
    from journeygraph.render.limits import CHART_MAX_TOUCHPOINTS
    from tests.conftest import generated_map

    at = journeygraph.load(generated_map(tmp_path, CHART_MAX_TOUCHPOINTS, 30))
    over = journeygraph.load(generated_map(tmp_path, CHART_MAX_TOUCHPOINTS + 1, 30))
    # A point per touchpoint at the bound (0.6 inch each); a point per stage past it.
    assert _width_in(emotion_svg(at) or "") > 0.4 * CHART_MAX_TOUCHPOINTS
    assert _width_in(emotion_svg(over) or "") < 1.5 * len(over.stages) + 4
    for i, t in enumerate(over.touchpoints):  # stages that differ, ranges that are not one value
        for e in t.experience:
            e.emotion = (i % 5) - 2
    persona = {p.label: p.id for p in over.personas}
    for curve in emotion_curves(over):
        rows = stage_emotions(over, curve)
        assert [r.stage for r in rows] == list(range(len(over.stages)))
        for stage, row in zip(over.stages, rows, strict=True):
            felt = [
                e.emotion
                for t in over.touchpoints
                if t.stage == stage.id
                for e in t.experience
                if e.persona == persona[curve.persona] and e.emotion is not None
            ]
            pains = sum(
                any(
                    e.pain_points
                    for e in t.experience
                    if e.persona in (persona[curve.persona], None)
                )
                for t in over.touchpoints
                if t.stage == stage.id
            )
            assert row.rated == len(felt)
            assert row.pains == pains
            if felt:
                assert row.mean == pytest.approx(sum(felt) / len(felt))
                assert (row.low, row.high) == (min(felt), max(felt))
            else:
                assert row.mean is row.low is row.high is None
