"""The report as slides (``report --pptx``): what a consultant presents.

Per journey: the executive summary, the scorecard, one slide per stage with
its flow and its findings, the handoff network, and the action plan (as many
slides as it takes). Diagrams are Graphviz PNGs, fitted to the slide keeping
their proportions; every text is set as text, never as markup.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from journeygraph.actions import first_actions, reach_header
from journeygraph.render import View, diagram, render

if TYPE_CHECKING:
    from journeygraph.model import JourneyMap
    from journeygraph.report.view import JourneyPart, Report

__all__ = ["ACTIONS_PER_SLIDE", "slides"]

ACTIONS_PER_SLIDE = 8
"""Rows of the action plan on one slide."""
_FINDINGS_PER_STAGE = 6
"""Findings listed beside a stage's flow; the rest are counted."""


def slides(report: Report, maps: Sequence[JourneyMap]) -> bytes:
    """The report's slides as a ``.pptx`` file (16:9)."""
    from pptx import Presentation
    from pptx.util import Inches

    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(13.333), Inches(7.5)
    title = deck.slides.add_slide(deck.slide_layouts[0])
    for shape, top in ((title.shapes.title, 2.2), (title.placeholders[1], 4.2)):
        shape.left, shape.top, shape.width = Inches(0.8), Inches(top), Inches(11.7)
    title.shapes.title.text = report.title
    _title_lines(title.placeholders[1], report)
    for part, m in zip(report.journeys, maps, strict=True):
        _journey(deck, part, m)
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def _title_lines(box: Any, report: Report) -> None:
    """Under the title: for whom, by whom, when, and the three actions to take first."""
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Pt

    who = [
        f"For {report.client}" if report.client else "",
        f"By {report.author}" if report.author else "",
    ]
    lines = [(" · ".join([*filter(None, who), report.generated]), 18)]
    first = first_actions([(j.card.name, j.actions) for j in report.journeys])
    if first:
        lines += [("What to do first", 16)]
        several = len(report.journeys) > 1
        lines += [
            (f"{i}. {a.title} ({a.owner}{', ' + name if several else ''})", 14)
            for i, (name, a) in enumerate(first, start=1)
        ]
    frame = box.text_frame
    frame.word_wrap = True
    for i, (text, size) in enumerate(lines):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.text = text
        paragraph.font.size = Pt(size)
        if i > 0:  # the list reads from the left
            paragraph.alignment = PP_ALIGN.LEFT


def _journey(deck: Any, part: JourneyPart, m: JourneyMap) -> None:
    if part.summary is not None:
        lines = [part.summary.paragraph, ""]
        if part.actions:
            lines += ["What to do first:"]
            lines += [f"{a.priority}. {a.title} (owner: {a.owner})" for a in part.actions[:3]]
            lines.append("")
        if part.summary.top:
            lines += ["The findings that matter most:"]
            lines += [f"{f.severity.value}: {f.message}" for f in part.summary.top]
        if part.summary.change:
            lines += ["", part.summary.change]
        _text_slide(deck, f"{part.card.name}: executive summary", lines)
    card = part.card
    _table_slide(
        deck,
        f"{card.name}: scorecard",
        ["Figure", "Value"],
        [
            *([f"Findings, {s}", str(n)] for s, n in card.finding_counts()),
            ["Touchpoints with a Responsible", f"{card.with_responsible} of {card.touchpoints}"],
            ["Touchpoints with an Accountable", f"{card.with_accountable} of {card.touchpoints}"],
            [
                "Changes of hands covered by a declared handoff",
                f"{card.covered_changes} of {card.changes_of_hands}"
                + (f" ({card.waived_changes} gaps waived)" if card.waived_changes else ""),
            ],
            [
                "Function pairs that need a handoff with one declared",
                f"{card.covered_pairs} of {card.needed_pairs}",
            ],
            ["Stages with no Responsible owner", str(len(card.uncovered_stages))],
        ],
        widths=(8.5, 3.5),
    )
    overlay = part.evidence.overlay() if part.evidence is not None else None
    G = m.to_networkx()
    for s, section in zip(m.stages, part.stages, strict=True):
        png = render(
            diagram(View.FLOW, m, part.result, stage=s.id, graph=G, overlay=overlay).dot, "png"
        )
        findings = [f.message for f in section.findings]
        findings += [f.message for t in section.touchpoints for f in t.findings]
        shown = findings[:_FINDINGS_PER_STAGE]
        if len(findings) > len(shown):
            shown.append(f"and {len(findings) - len(shown)} more (see the report)")
        _picture_slide(deck, f"{part.card.name}: {s.label}", png, shown or ["No findings."])
    png = render(diagram(View.HANDOFFS, m, part.result, graph=G).dot, "png")
    _picture_slide(deck, f"{part.card.name}: handoff network", png, [])
    for start in range(0, len(part.actions), ACTIONS_PER_SLIDE):
        chunk = part.actions[start : start + ACTIONS_PER_SLIDE]
        page = start // ACTIONS_PER_SLIDE + 1
        pages = -(-len(part.actions) // ACTIONS_PER_SLIDE)
        _table_slide(
            deck,
            f"{part.card.name}: action plan" + (f" ({page} of {pages})" if pages > 1 else ""),
            ["#", "Action", "Owner", "Severity", reach_header(part.actions)],
            [
                [
                    str(a.priority),
                    a.title,
                    a.owner,
                    a.severity.value,
                    f"{a.reach:,}" if a.reach is not None else "",
                ]
                for a in chunk
            ],
            widths=(0.6, 7.4, 2.6, 1.2, 1.2),
        )


def _title(slide: Any, text: str) -> None:
    from pptx.util import Inches, Pt

    shape = slide.shapes.title
    # The default layouts are 4:3: the title spans the 16:9 slide instead.
    shape.left, shape.top, shape.width, shape.height = (
        Inches(0.6),
        Inches(0.35),
        Inches(12.1),
        Inches(1.0),
    )
    shape.text = text
    for paragraph in slide.shapes.title.text_frame.paragraphs:
        for run in paragraph.runs:
            run.font.size = Pt(28)


def _text_slide(deck: Any, title: str, lines: list[str]) -> None:
    from pptx.util import Inches, Pt

    slide = deck.slides.add_slide(deck.slide_layouts[5])  # title only
    _title(slide, title)
    box = slide.shapes.add_textbox(Inches(0.6), Inches(1.5), Inches(12.1), Inches(5.6))
    _lines(box, lines, Pt(13))


def _table_slide(
    deck: Any,
    title: str,
    header: list[str],
    rows: list[list[str]],
    *,
    widths: tuple[float, ...],
) -> None:
    from pptx.util import Inches, Pt

    slide = deck.slides.add_slide(deck.slide_layouts[5])
    _title(slide, title)
    shape = slide.shapes.add_table(
        len(rows) + 1, len(header), Inches(0.6), Inches(1.5), Inches(12.1), Inches(0.4)
    )
    table = shape.table
    for i, width in enumerate(widths):
        table.columns[i].width = Inches(width)
    for r, values in enumerate([header, *rows]):
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            cell.text = value
            for paragraph in cell.text_frame.paragraphs:
                paragraph.font.size = Pt(12 if r else 13)


def _picture_slide(deck: Any, title: str, png: bytes, notes: list[str]) -> None:
    from pptx.util import Inches, Pt

    slide = deck.slides.add_slide(deck.slide_layouts[5])
    _title(slide, title)
    # The diagram fills what the notes leave, its proportions kept.
    room_w, room_h = (8.6 if notes else 12.1), 5.7
    width, height = _png_size(png)
    scale = min(room_w / width, room_h / height)
    slide.shapes.add_picture(
        io.BytesIO(png), Inches(0.6), Inches(1.5), Inches(width * scale), Inches(height * scale)
    )
    if notes:
        box = slide.shapes.add_textbox(Inches(9.4), Inches(1.5), Inches(3.5), Inches(5.7))
        _lines(box, notes, Pt(11))


def _lines(box: Any, lines: list[str], size: Any) -> None:
    """Set ``lines`` in a text box, one paragraph each, wrapped, at ``size``."""
    frame = box.text_frame
    frame.word_wrap = True
    for i, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.text = line
        paragraph.font.size = size


def _png_size(png: bytes) -> tuple[float, float]:
    """A PNG's width and height (in pixels) from its header."""
    width, height = struct.unpack(">II", png[16:24])
    return float(width), float(height)
