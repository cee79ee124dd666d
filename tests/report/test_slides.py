"""Slides (``report --pptx``): read back with python-pptx, slide by slide."""

from __future__ import annotations

from pathlib import Path

import pytest
from pptx import Presentation
from typer.testing import CliRunner

import journeygraph
from journeygraph.actions import action_plan
from journeygraph.audit import audit
from journeygraph.cli import ExitCode, app
from journeygraph.report.slides import ACTIONS_PER_SLIDE
from tests.conftest import EXAMPLES, pdf_page_text

B2B = EXAMPLES / "b2b-saas.yaml"
LOG = EXAMPLES / "b2b-saas-events.csv"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.graphviz
def test_the_deck_has_every_slide_the_issue_lists(tmp_path: Path) -> None:
    code, _, err = run("report", str(B2B), "--log", str(LOG), "--pptx", "-o", str(tmp_path / "r"))
    assert code == ExitCode.OK, err
    deck = Presentation(str(tmp_path / "r" / "report.pptx"))
    m = journeygraph.load(B2B)
    name = m.journey.label
    titles = [s.shapes.title.text for s in deck.slides]
    from journeygraph.evidence import compare, discover, read_log

    plan = action_plan(m, audit(m), compare(m, discover(read_log(LOG))))
    pages = sum(": action plan" in t for t in titles)
    assert pages >= -(-len(plan) // ACTIONS_PER_SLIDE)
    assert titles == [
        f"{name}: journey audit",
        f"{name}: executive summary",
        f"{name}: scorecard",
        f"{name}: the journey on one page",
        "How to read the journey flows",
        *(f"{name}: {s.label}" for s in m.stages),
        f"{name}: service blueprint",
        f"{name}: handoff network",
        f"{name}: coverage heat map",
        *(f"{name}: action plan ({k} of {pages})" for k in range(1, pages + 1)),
    ]
    slides = list(deck.slides)
    # The canvas, the legend, one flow per stage and the handoff network: pictures,
    # inside the 16:9 slide.
    for slide in slides[3 : 5 + len(m.stages) + 1]:
        pictures = [s for s in slide.shapes if s.shape_type == 13]
        assert len(pictures) == 1
        (picture,) = pictures
        assert picture.left + picture.width <= deck.slide_width
        assert picture.top + picture.height <= deck.slide_height
    # The action plan's rows, in priority order across its slides.
    rows = [
        row.cells[1].text
        for slide in slides[-pages:]
        for shape in slide.shapes
        if shape.has_table
        for row in list(shape.table.rows)[1:]
    ]
    assert rows == [a.title for a in plan]
    summary = " ".join(s.text_frame.text for s in slides[1].shapes if s.has_text_frame)
    assert "What to do first" in summary
    assert plan[0].title in summary
    # The title slide says it too: the three actions to take first.
    cover = " ".join(s.text_frame.text for s in slides[0].shapes if s.has_text_frame)
    assert "What to do first" in cover
    assert all(f"{a.priority}. {a.title} ({a.owner})" in cover for a in plan[:3])


@pytest.mark.graphviz
def test_names_are_text_in_the_slides(tmp_path: Path) -> None:
    hostile = '<b>Ops & "Co"</b>'
    path = tmp_path / "m.yaml"
    path.write_text(
        "version: 1\njourney: {id: j, name: '" + hostile + "'}\nstages: [{id: s}]\n"
        "touchpoints: [{id: t, stage: s, exit: true}]\n",
        encoding="utf-8",
    )
    code, _, err = run("report", str(path), "--pptx", "-o", str(tmp_path / "r"))
    assert code == ExitCode.OK, err
    deck = Presentation(str(tmp_path / "r" / "report.pptx"))
    assert deck.slides[0].shapes.title.text == f"{hostile}: journey audit"


@pytest.mark.graphviz
def test_libreoffice_opens_the_deck(tmp_path: Path) -> None:
    """LibreOffice (Debian's, headless) converts the deck to PDF: one page a slide, each
    with its title. PowerPoint and Keynote cannot run here."""
    import shutil
    import subprocess

    office = shutil.which("soffice")
    if office is None:
        pytest.fail("LibreOffice is not installed: run scripts/setup")
    code, _, err = run("report", str(B2B), "--log", str(LOG), "--pptx", "-o", str(tmp_path / "r"))
    assert code == ExitCode.OK, err
    deck = tmp_path / "r" / "report.pptx"
    subprocess.run(
        [
            office,
            "--headless",
            f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(deck),
        ],
        capture_output=True,
        timeout=180,
        check=True,
    )
    titles = [s.shapes.title.text for s in Presentation(str(deck)).slides]
    pdf = tmp_path / "report.pdf"
    for number, title in enumerate(titles, start=1):
        text = pdf_page_text(pdf, number)
        assert " ".join(title.split()) in " ".join(text.split()), (number, title)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    assert f"Pages:           {len(titles)}" in info.stdout
