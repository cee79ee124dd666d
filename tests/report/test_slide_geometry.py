"""Every shape of the deck inside its slide, and every text inside its shape.

Read back with python-pptx: each shape's position and size against the slide's;
each text box's and table row's text wrapped here (measured with Pillow in
DejaVu Sans, wider than the deck's own font) against the height it was given.
On every example (the B2B one with its log too) and the generated
150-touchpoint benchmark map.
"""

from __future__ import annotations

import functools
import io
from pathlib import Path
from typing import Any

import matplotlib
import pytest
from PIL import ImageFont
from pptx import Presentation
from pptx.util import Emu

import journeygraph
from journeygraph.evidence import compare, discover, read_log
from journeygraph.io.theme import load_theme
from journeygraph.report.view import build_report
from journeygraph.rule_ids import (
    HANDOFF_GAP,
    IDLE_FUNCTION,
    OVERLOADED_FUNCTION,
    SINGLE_OWNER_STAGE,
    UNUSED_HANDOFF,
)
from tests.conftest import EXAMPLES, generated_map

CASES = [
    ("mortgage.yaml", None),
    ("healthcare-outpatient.yaml", None),
    ("helpdesk.yaml", None),
    ("b2b-saas.yaml", "b2b-saas-events.csv"),
    ("generated", None),
    # A theme's logo and cover text on the title slide, its serif font measured as shown.
    ("mortgage.yaml", "themes/acme.yaml"),
]
IDS = ["mortgage", "healthcare", "helpdesk", "b2b-with-log", "generated-150", "mortgage-themed"]
EMU_PER_INCH = 914400
# One worker runs them all (--dist loadgroup), so each deck is built once: the
# generated map's takes a minute, and was built on both workers.
pytestmark = pytest.mark.xdist_group("slide-decks")


@functools.cache
def _font() -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(f"{matplotlib.get_data_path()}/fonts/ttf/DejaVuSans.ttf", 100)


def _lines(text: str, width_in: float, size: float) -> int:
    """Lines of ``text`` wrapped at spaces in ``width_in`` inches, by the character."""
    font, width, total = _font(), width_in * 72, 0
    for paragraph in text.split("\n"):
        line, count = "", 1
        for char in paragraph:
            trial = line + char
            if font.getlength(trial) * size / 100 > width:
                count += 1
                # back to the last space, as a word wraps whole
                line = line[line.rfind(" ") + 1 :] + char if " " in line and char != " " else char
            else:
                line = trial
        total += count
    return total


@functools.cache
def _deck(tmp: Path, map_name: str, log_name: str | None) -> Any:
    path = generated_map(tmp) if map_name == "generated" else EXAMPLES / map_name
    m = journeygraph.load(path)
    result = journeygraph.audit(m)
    evidence, theme = {}, None
    if log_name and log_name.startswith("themes/"):
        theme = load_theme(EXAMPLES / log_name)
    elif log_name:
        evidence[m.id] = compare(m, discover(read_log(EXAMPLES / log_name)))
    from journeygraph.report.slides import slides

    report = build_report([m], [result], evidence=evidence)
    if theme is not None:
        report.cover_text = theme.cover.text
    return m, report, Presentation(io.BytesIO(slides(report, [m], theme=theme)))


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("decks")


def _size(paragraph: Any) -> float:
    sizes = [run.font.size for run in paragraph.runs if run.font.size is not None]
    if paragraph.font.size is not None:
        sizes.append(paragraph.font.size)
    assert sizes, "every text is given its size"
    return max(Emu(s).pt for s in sizes)


@pytest.mark.graphviz
@pytest.mark.parametrize(("map_name", "log_name"), CASES, ids=IDS)
def test_every_shape_and_text_fits_its_slide(
    folder: Path, map_name: str, log_name: str | None
) -> None:
    _, _, deck = _deck(folder, map_name, log_name)
    width, height = deck.slide_width, deck.slide_height
    assert (width, height) == (int(13.333 * EMU_PER_INCH), int(7.5 * EMU_PER_INCH))
    for number, slide in enumerate(deck.slides, start=1):
        for shape in slide.shapes:
            where = f"slide {number} ({slide.shapes.title.text}): {shape.name}"
            assert shape.left >= 0, where
            assert shape.top >= 0, where
            assert shape.left + shape.width <= width, where
            assert shape.top + shape.height <= height, where
            if shape.has_table:
                rows = list(shape.table.rows)
                assert sum(r.height for r in rows) <= shape.height + len(rows), where
                widths = [c.width / EMU_PER_INCH - 0.2 for c in shape.table.columns]
                for row in rows:
                    for cell, w in zip(row.cells, widths, strict=True):
                        for p in cell.text_frame.paragraphs:
                            need = _lines(p.text, w, _size(p)) * _size(p) * 1.2 / 72 + 0.1
                            assert need <= row.height / EMU_PER_INCH + 0.01, (where, p.text)
            elif shape.has_text_frame and shape.text_frame.text.strip() and shape.shape_type == 17:
                inner = shape.width / EMU_PER_INCH - 0.2
                need = sum(
                    _lines(p.text, inner, _size(p)) * _size(p) * 1.2 / 72
                    for p in shape.text_frame.paragraphs
                )
                assert need <= shape.height / EMU_PER_INCH - 0.1 + 0.01, where
                for p in shape.text_frame.paragraphs:
                    assert _size(p) >= 10, where


@pytest.mark.graphviz
@pytest.mark.parametrize(("map_name", "log_name"), CASES, ids=IDS)
def test_the_action_plan_has_every_column_and_row(
    folder: Path, map_name: str, log_name: str | None
) -> None:
    _, report, deck = _deck(folder, map_name, log_name)
    plan = report.journeys[0].actions
    tables = [
        shape.table
        for slide in deck.slides
        if ": action plan" in slide.shapes.title.text
        for shape in slide.shapes
        if shape.has_table
    ]
    assert tables
    for table in tables:
        header = [c.text for c in table.rows[0].cells]
        assert header[0] == "#"
        assert header[1:4] == ["Action", "Owner", "Severity"]
        assert header[-1] == "Status"
    rows = [[c.text for c in row.cells] for table in tables for row in list(table.rows)[1:]]
    assert [r[0] for r in rows] == [str(a.priority) for a in plan]
    assert [r[1] for r in rows] == [a.title for a in plan]
    assert [r[-1] for r in rows] == [a.status for a in plan]
    assert [r[4] for r in rows] == [f"{a.reach:,}" if a.reach is not None else "" for a in plan]


@pytest.mark.graphviz
@pytest.mark.parametrize(("map_name", "log_name"), CASES, ids=IDS)
def test_one_legend_slide_and_a_canvas(folder: Path, map_name: str, log_name: str | None) -> None:
    m, _, deck = _deck(folder, map_name, log_name)
    titles = [s.shapes.title.text for s in deck.slides]
    assert titles.count("How to read the journey flows") == 1
    canvas = [s for s in deck.slides if "the journey on one page" in s.shapes.title.text]
    assert canvas
    for slide in canvas:
        assert [s for s in slide.shapes if s.shape_type == 13], "a picture of the canvas"
    # The stage slides show the flow without its legend: one picture, as large as fits.
    for s in m.stages:
        (slide,) = [x for x in deck.slides if x.shapes.title.text.endswith(f": {s.label}")]
        (picture,) = [x for x in slide.shapes if x.shape_type == 13]
        assert picture.width >= 8.6 * EMU_PER_INCH - 1 or picture.height >= 5.6 * EMU_PER_INCH


@pytest.mark.graphviz
@pytest.mark.parametrize(("map_name", "log_name"), CASES, ids=IDS)
def test_the_details_go_in_the_speaker_notes(
    folder: Path, map_name: str, log_name: str | None
) -> None:
    m, report, deck = _deck(folder, map_name, log_name)
    part = report.journeys[0]
    notes = {
        s.shapes.title.text: s.notes_slide.notes_text_frame.text
        for s in deck.slides
        if s.has_notes_slide
    }
    # Every finding of a stage in its slide's notes, though the slide may cut the list.
    for s, section in zip(m.stages, part.stages, strict=True):
        found = [f.message for f in section.findings]
        found += [f.message for t in section.touchpoints for f in t.findings]
        for message in found:
            assert message in notes[f"{part.card.name}: {s.label}"]
    # Every action's owner and why, in the notes of its plan slide.
    plan_notes = " ".join(v for k, v in notes.items() if ": action plan" in k)
    for a in part.actions:
        assert f"{a.priority}. {a.title}. Owner: {a.owner} ({a.owner_reason})" in plan_notes
    # The findings each diagram draws, in its slide's notes.
    drawn = {
        "handoff network": {HANDOFF_GAP, OVERLOADED_FUNCTION, UNUSED_HANDOFF},
        "coverage heat map": {SINGLE_OWNER_STAGE, IDLE_FUNCTION, OVERLOADED_FUNCTION},
    }
    for what, rules in drawn.items():
        said = notes.get(f"{part.card.name}: {what}", "")
        for finding in part.result.findings:
            if finding.rule in rules:
                assert finding.message in said, (what, finding.message)
    titles = [s.shapes.title.text for s in deck.slides]
    for what in ("service blueprint", "handoff network", "coverage heat map"):
        assert f"{part.card.name}: {what}" in titles
    assert (f"{part.card.name}: personas and how the journey feels" in titles) == bool(
        m.personas or any(e.emotion is not None for t in m.touchpoints for e in t.experience)
    )
