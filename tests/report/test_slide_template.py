"""``report --pptx-template``: the deck built on a consultancy's own masters, read back."""

from __future__ import annotations

import copy
import functools
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from pptx import Presentation
from pptx.util import Inches
from typer.testing import CliRunner

import journeygraph
from journeygraph.cli import ExitCode, app
from journeygraph.report.slides import TemplateError, slides
from journeygraph.report.view import Report, build_report
from tests.conftest import EXAMPLES

BRAND = "ACME Consulting"
SAMPLE = "Delete this sample slide"


def _template(*, drop: str | None = None, wide: bool = True) -> Any:
    """A template with a branded master and a sample slide of its own."""
    deck = Presentation()
    deck.slide_width = Inches(13.333 if wide else 10)
    deck.slide_height = Inches(7.5)
    sample = deck.slides.add_slide(deck.slide_layouts[1])
    sample.shapes.title.text = SAMPLE
    # python-pptx adds no shape to a master: the brand's text box is moved there from a slide.
    box = sample.shapes.add_textbox(Inches(11), Inches(7), Inches(2), Inches(0.4))
    box.text = BRAND
    deck.slide_master.shapes._spTree.append(copy.deepcopy(box._element))
    sample.shapes._spTree.remove(box._element)
    if drop is not None:
        for layout in list(deck.slide_layouts):
            if layout.name == drop:
                deck.slide_layouts.remove(layout)
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def _as_potx(pptx: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(pptx)) as source, zipfile.ZipFile(out, "w") as copy:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"presentation.main+xml", b"template.main+xml")
            copy.writestr(item, data)
    return out.getvalue()


@functools.cache
def _report() -> tuple[Report, Any]:
    m = journeygraph.load(EXAMPLES / "helpdesk.yaml")
    return build_report([m], [journeygraph.audit(m)]), m


@pytest.mark.graphviz
@pytest.mark.parametrize("kind", ["pptx", "potx"])
def test_the_deck_carries_the_templates_masters(kind: str) -> None:
    template = _template()
    if kind == "potx":
        template = _as_potx(template)
        with pytest.raises(ValueError, match="not a PowerPoint file"):
            Presentation(io.BytesIO(template))  # as python-pptx alone would have it
    report, m = _report()
    deck = Presentation(io.BytesIO(slides(report, [m], template=template)))
    plain = Presentation(io.BytesIO(slides(report, [m])))
    master_text = [s.text_frame.text for s in deck.slide_master.shapes if s.has_text_frame]
    assert BRAND in master_text
    titles = [s.shapes.title.text for s in deck.slides]
    assert SAMPLE not in titles
    assert titles == [s.shapes.title.text for s in plain.slides]
    layouts = set(map(id, deck.slide_master.slide_layouts))
    assert all(id(s.slide_layout) in layouts for s in deck.slides)


@pytest.mark.parametrize(
    ("template", "message"),
    [
        (lambda: _template(drop="Title Only"), "brand.pptx: no 'Title Only' layout"),
        (lambda: _template(wide=False), "brand.pptx: its slides are 10.00 x 7.50 in"),
        (lambda: b"not a zip", "brand.pptx: not a PowerPoint presentation or template"),
    ],
    ids=["no-title-only", "four-by-three", "not-a-deck"],
)
def test_a_template_that_cannot_carry_the_deck_is_named(template: Any, message: str) -> None:
    report, m = _report()
    with pytest.raises(TemplateError, match=message.replace(".", r"\.")):
        slides(report, [m], template=template(), template_name="brand.pptx")


@pytest.mark.graphviz
def test_the_command_says_what_the_template_lacks(tmp_path: Path) -> None:
    brand = tmp_path / "brand.pptx"
    brand.write_bytes(_template(drop="Title Slide"))
    result = CliRunner().invoke(
        app,
        [
            "report",
            str(EXAMPLES / "helpdesk.yaml"),
            "--pptx-template",
            str(brand),
            "-o",
            str(tmp_path / "r"),
        ],
    )
    assert result.exit_code == ExitCode.ERROR
    assert "no 'Title Slide' layout" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "r").exists()
