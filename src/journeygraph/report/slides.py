"""The report as slides (``report --pptx``): what a consultant presents.

Per journey: the executive summary, the scorecard, the journey canvas, one
slide per stage with its flow and its findings, the handoff network, and the
action plan with all its columns (as many slides as it takes). The flows'
legend has one slide of its own, before the first flow. Diagrams are Graphviz
PNGs (the canvas a PNG printed by Chromium), fitted to the slide keeping their
proportions; every text is set as text, never as markup.

Every shape lies inside the 16:9 slide, and every text inside its shape: a
text's lines are counted by measuring it (`journeygraph.render.journey_canvas.
text_width`, in a font wider than the one shown), its size lowered to
:data:`SMALLEST_PT` where it does not fit, then its last lines cut ("and 3 more,
see the report"); a table's rows are given the height their wrapped text takes,
and the action plan goes on to the next slide where the next row would not fit.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from journeygraph.actions import first_actions, reach_header
from journeygraph.escape import printable
from journeygraph.exceptions import JourneyGraphError
from journeygraph.extras import optional
from journeygraph.render import View, diagram, render
from journeygraph.report.slide_text import LINE_SPACING, SMALLEST_PT, fit, row_height
from journeygraph.rule_ids import (
    ACCOUNTABILITY_CONCENTRATION,
    CAPACITY_OVERLOAD,
    EMPTY_STAGE,
    HANDOFF_GAP,
    HANDOFF_WITHOUT_SLA,
    IDLE_FUNCTION,
    OVERLOADED_FUNCTION,
    SINGLE_OWNER_STAGE,
    SPLIT_ACCOUNTABILITY,
    UNUSED_HANDOFF,
)

if TYPE_CHECKING:
    from journeygraph.model import JourneyMap
    from journeygraph.report.view import JourneyPart, Report
    from journeygraph.theme import Theme

__all__ = [
    "ACTIONS_PER_SLIDE",
    "LINE_SPACING",
    "MARGIN_IN",
    "SLIDE_HEIGHT_IN",
    "SLIDE_WIDTH_IN",
    "SMALLEST_PT",
    "TemplateError",
    "layouts",
    "slides",
]

ACTIONS_PER_SLIDE = 12
"""Rows of the action plan on one slide, at most (fewer where their text is long)."""
SLIDE_WIDTH_IN = 13.333
SLIDE_HEIGHT_IN = 7.5
MARGIN_IN = 0.6
"""The margin left free at the slide's sides, and under its body."""
_BODY_TOP_IN = 1.5
_BODY_WIDTH_IN = SLIDE_WIDTH_IN - 2 * MARGIN_IN
_BODY_HEIGHT_IN = SLIDE_HEIGHT_IN - _BODY_TOP_IN - MARGIN_IN / 2
_PLAN_COLUMNS = ("#", "Action", "Owner", "Severity", "", "Status")
_PLAN_WIDTHS = (0.5, 5.6, 2.5, 1.1, 1.4, 1.0)


def slides(
    report: Report,
    maps: Sequence[JourneyMap],
    *,
    template: bytes | None = None,
    template_name: str = "the template",
    theme: Theme | None = None,
) -> bytes:
    """The report's slides as a ``.pptx`` file (16:9).

    ``template`` is a ``.pptx`` or ``.potx`` file's content (named ``template_name`` in
    messages): the deck is built on its masters, layouts and theme, and its own slides
    are left out. It must be 13.333 x 7.5 inches (PowerPoint's widescreen) and have a
    title slide layout and a title-only layout (:func:`layouts`). ``theme`` lays its fonts,
    severity colours and logo over the template's look where its file sets them
    (`journeygraph.report.slide_theme`).
    """
    from pptx.util import Inches

    from journeygraph.report.slide_theme import apply_theme, place_logo

    deck = _open(template, template_name)
    if template is None:
        deck.slide_width, deck.slide_height = Inches(SLIDE_WIDTH_IN), Inches(SLIDE_HEIGHT_IN)
    cover, _ = layouts(deck, template_name)
    title = deck.slides.add_slide(cover)
    subtitle = _subtitle(title)
    for shape, top in ((title.shapes.title, 2.2), (subtitle, 4.2)):
        shape.left, shape.top, shape.width = Inches(0.8), Inches(top), Inches(11.7)
    title.shapes.title.text = printable(report.title)
    _title_lines(subtitle, report)
    if theme is not None:
        place_logo(title, theme)
    legend = True
    for part, m in zip(report.journeys, maps, strict=True):
        _journey(deck, part, m, legend=legend)
        legend = False
    if theme is not None:
        apply_theme(deck, theme)
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def _subtitle(slide: Any) -> Any:
    """The title slide's subtitle placeholder."""
    from pptx.enum.shapes import PP_PLACEHOLDER

    return next(
        p for p in slide.placeholders if p.placeholder_format.type == PP_PLACEHOLDER.SUBTITLE
    )


class TemplateError(JourneyGraphError):
    """A slide template that cannot carry the deck: not a PowerPoint file, not 16:9, or
    without the layouts the deck uses."""


_POTX = b"application/vnd.openxmlformats-officedocument.presentationml.template.main+xml"
_PPTX = b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"


def _open(template: bytes | None, name: str) -> Any:
    """A presentation: python-pptx's default, or the template with its own slides removed.

    A ``.potx`` is a ``.pptx`` whose main part says "template": python-pptx opens only
    presentations, so the content type is read as a presentation's.
    """
    import zipfile

    optional("pptx")  # not installed: which extra to install
    from pptx import Presentation
    from pptx.util import Inches

    if template is None:
        return Presentation()
    try:
        with zipfile.ZipFile(io.BytesIO(template)) as source:
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
                for item in source.infolist():
                    data = source.read(item)
                    if item.filename == "[Content_Types].xml":
                        data = data.replace(_POTX, _PPTX)
                    copy.writestr(item, data)
        deck = Presentation(io.BytesIO(out.getvalue()))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as err:
        raise TemplateError(
            f"{name}: not a PowerPoint presentation or template ({err}); give a .pptx or .potx "
            "saved by PowerPoint, Keynote or LibreOffice"
        ) from None
    width, height = int(deck.slide_width or 0), int(deck.slide_height or 0)
    if abs(width - Inches(SLIDE_WIDTH_IN)) > Inches(0.01) or abs(
        height - Inches(SLIDE_HEIGHT_IN)
    ) > Inches(0.01):
        raise TemplateError(
            f"{name}: its slides are {width / 914400:.2f} x {height / 914400:.2f} in; the "
            f"deck needs widescreen slides, {SLIDE_WIDTH_IN} x {SLIDE_HEIGHT_IN} in (16:9): "
            "change the template's slide size"
        )
    # The template's own slides (examples, instructions) are not the client's deck.
    listed = deck.slides._sldIdLst
    for entry in list(listed):
        deck.part.drop_rel(entry.rId)
        listed.remove(entry)
    return deck


def layouts(deck: Any, name: str = "the template") -> tuple[Any, Any]:
    """The deck's title slide layout and title-only layout: by name ("Title Slide",
    "Title Only"), else by their placeholders (a title and a subtitle; a title alone).

    Examples
    --------
    >>> from pptx import Presentation
    >>> [layout.name for layout in layouts(Presentation())]
    ['Title Slide', 'Title Only']
    """
    from pptx.enum.shapes import PP_PLACEHOLDER

    titles = {PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE}
    furniture = {PP_PLACEHOLDER.DATE, PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.SLIDE_NUMBER}

    def kinds(layout: Any) -> set[Any]:
        return {p.placeholder_format.type for p in layout.placeholders}

    def cover(layout: Any) -> bool:
        return bool(kinds(layout) & titles) and PP_PLACEHOLDER.SUBTITLE in kinds(layout)

    def title_only(layout: Any) -> bool:
        return bool(kinds(layout) & titles) and not kinds(layout) - titles - furniture

    found = []
    for wanted, test in (("Title Slide", cover), ("Title Only", title_only)):
        every = list(deck.slide_layouts)
        chosen = next((x for x in every if x.name == wanted and test(x)), None)
        chosen = chosen or next((x for x in every if test(x)), None)
        if chosen is None:
            have = ", ".join(repr(printable(x.name, one_line=True)) for x in every) or "none"
            raise TemplateError(
                f"{name}: no {wanted!r} layout (the deck needs one with "
                + ("a title and a subtitle" if wanted == "Title Slide" else "a title alone")
                + f"); its layouts: {have}. Add the layout to the template's master"
            )
        found.append(chosen)
    return found[0], found[1]


def _title_lines(box: Any, report: Report) -> None:
    """Under the title: for whom, by whom, when, and the three actions to take first."""
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Pt

    who = [
        f"For {report.client}" if report.client else "",
        f"By {report.author}" if report.author else "",
    ]
    lines = [(" · ".join([*filter(None, who), report.generated]), 18)]
    if report.cover_text:
        lines.append((report.cover_text, 14))
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
        paragraph.text = printable(text)
        paragraph.font.size = Pt(size)
        if i > 0:  # the list reads from the left
            paragraph.alignment = PP_ALIGN.LEFT


def _journey(deck: Any, part: JourneyPart, m: JourneyMap, *, legend: bool) -> None:
    if part.summary is not None:
        lines = [part.summary.paragraph, ""]
        if part.actions:
            lines += ["What to do first:"]
            lines += [f"{a.priority}. {a.title} (owner: {a.owner})" for a in part.actions[:3]]
            lines.append("")
        if part.summary.top:
            lines += ["The findings that matter most:"]
            lines += [
                f"{finding.severity.value}: {finding.message}" for finding in part.summary.top
            ]
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
        widths=(8.5, 3.6),
    )
    _canvas_slide(deck, part, m)
    overlay = part.evidence.overlay() if part.evidence is not None else None
    G = m.to_networkx()
    if legend:
        png = render(
            diagram(View.FLOW, m, part.result, graph=G, overlay=overlay, key="only").dot, "png"
        )
        _picture_slide(deck, "How to read the journey flows", png, [])
    for s, section in zip(m.stages, part.stages, strict=True):
        drawn = diagram(View.FLOW, m, part.result, stage=s.id, graph=G, overlay=overlay, key="none")
        png = render(drawn.dot, "png")
        findings = [finding.message for finding in section.findings]
        findings += [finding.message for t in section.touchpoints for finding in t.findings]
        slide = _picture_slide(
            deck, f"{part.card.name}: {s.label}", png, findings or ["No findings."]
        )
        _notes(slide, findings)  # every one, where the slide may count the last
    _personas_slide(deck, part, m)
    breached = overlay.breached if overlay is not None else None
    blueprint = diagram(View.BLUEPRINT, m, part.result, graph=G, overlay=overlay, key="none")
    slide = _picture_slide(
        deck, f"{part.card.name}: service blueprint", render(blueprint.dot, "png"), []
    )
    _notes(
        slide,
        [
            f"{r.number}. {r.giving} → {r.taking}: {r.giver} → {r.taker}, {r.status}"
            for r in blueprint.changes
        ]
        + ([f"Breached: {', '.join(breached.values())}"] if breached else []),
    )
    for view, what in ((View.HANDOFFS, "handoff network"), (View.MATRIX, "coverage heat map")):
        png = render(diagram(view, m, part.result, graph=G).dot, "png")
        _notes(_picture_slide(deck, f"{part.card.name}: {what}", png, []), _drawn(part, view))
    _plan_slides(deck, part)


_DRAWN_RULES = {
    View.HANDOFFS: (
        HANDOFF_GAP,
        HANDOFF_WITHOUT_SLA,
        UNUSED_HANDOFF,
        ACCOUNTABILITY_CONCENTRATION,
        OVERLOADED_FUNCTION,
        CAPACITY_OVERLOAD,
    ),
    View.MATRIX: (
        SINGLE_OWNER_STAGE,
        EMPTY_STAGE,
        OVERLOADED_FUNCTION,
        IDLE_FUNCTION,
        CAPACITY_OVERLOAD,
        SPLIT_ACCOUNTABILITY,
    ),
}
"""The findings each diagram slide draws, whose messages its speaker notes hold."""


def _drawn(part: JourneyPart, view: View) -> list[str]:
    """The findings ``view`` draws, most severe first, for its slide's speaker notes."""
    rules = _DRAWN_RULES[view]
    return [f"{f.severity.value}: {f.message}" for f in part.result.findings if f.rule in rules]


def _personas_slide(deck: Any, part: JourneyPart, m: JourneyMap) -> None:
    """The personas with their goals beside their emotion curves, when the map has them."""
    from journeygraph.render.emotion import emotion_png

    png = emotion_png(m)
    if not part.personas and png is None:
        return
    lines = [
        f"{name}: {description}" if description else name for name, description, _ in part.personas
    ]
    lines += [f"{name}'s goals: {'; '.join(goals)}" for name, _, goals in part.personas if goals]
    title = f"{part.card.name}: personas and how the journey feels"
    if png is None:
        _text_slide(deck, title, lines)
    else:
        _picture_slide(deck, title, png, lines or ["Every customer."])


def _notes(slide: Any, lines: list[str]) -> None:
    """The speaker notes: the details the slide leaves out."""
    if lines:
        slide.notes_slide.notes_text_frame.text = printable("\n".join(lines))


def _plan_slides(deck: Any, part: JourneyPart) -> None:
    """The action plan with every column, over as many slides as its rows take."""
    header = list(_PLAN_COLUMNS)
    header[4] = reach_header(part.actions)
    rows = [
        [
            str(a.priority),
            a.title,
            a.owner,
            a.severity.value,
            f"{a.reach:,}" if a.reach is not None else "",
            a.status,
        ]
        for a in part.actions
    ]
    chunks: list[list[list[str]]] = []
    room = _BODY_HEIGHT_IN - row_height(header, _PLAN_WIDTHS, 13)
    used = room
    for row in rows:
        height = row_height(row, _PLAN_WIDTHS, 12)
        if used + height > room or len(chunks[-1]) >= ACTIONS_PER_SLIDE:
            chunks.append([])
            used = 0.0
        chunks[-1].append(row)
        used += height
    by_priority = {str(a.priority): a for a in part.actions}
    for page, chunk in enumerate(chunks, start=1):
        more = f" ({page} of {len(chunks)})" if len(chunks) > 1 else ""
        slide = _table_slide(
            deck, f"{part.card.name}: action plan{more}", header, chunk, widths=_PLAN_WIDTHS
        )
        _notes(
            slide,
            [
                f"{a.priority}. {a.title}. Owner: {a.owner} ({a.owner_reason}). "
                + "; ".join(d.rstrip(".") for d in a.details)
                for a in (by_priority[row[0]] for row in chunk)
            ],
        )


def _canvas_slide(deck: Any, part: JourneyPart, m: JourneyMap) -> None:
    """The journey canvas, printed by Chromium; where there is none, a slide that says so."""
    from journeygraph.render.journey_canvas import journey_canvas
    from journeygraph.report.browser import BrowserNotFoundError, find_browser
    from journeygraph.report.diagrams import canvas_bytes

    title = f"{part.card.name}: the journey on one page"
    try:
        find_browser()
    except BrowserNotFoundError as missing:
        _text_slide(deck, title, [f"The canvas is drawn with a browser, and {missing}."])
        return
    pages = journey_canvas(m, part.result, evidence=part.evidence, actions=part.actions)
    for k, page in enumerate(pages, start=1):
        more = f" ({k} of {len(pages)})" if len(pages) > 1 else ""
        slide = _picture_slide(deck, title + more, canvas_bytes([page], "png"), [])
        _notes(
            slide,
            [
                "Stages are the columns; the lanes run from the customer's actions down to "
                "the back stage and the handoffs between functions.",
                "The numbers are the actions of the plan that answer the findings in each "
                "stage, coloured by severity.",
            ],
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
    # Two lines at most, at 28 points or less: a long name shrinks, then is cut.
    size, lines = fit([text], 12.1 - 0.2, 1.0 - 0.1, 28, smallest=18, note=False)
    shape.text = printable(" ".join(lines))
    for paragraph in slide.shapes.title.text_frame.paragraphs:
        for run in paragraph.runs:
            run.font.size = Pt(size)


def _text_slide(deck: Any, title: str, lines: list[str]) -> Any:
    from pptx.util import Inches, Pt

    slide = deck.slides.add_slide(layouts(deck)[1])
    _title(slide, title)
    box = slide.shapes.add_textbox(
        Inches(MARGIN_IN), Inches(_BODY_TOP_IN), Inches(_BODY_WIDTH_IN), Inches(_BODY_HEIGHT_IN)
    )
    size, shown = fit(lines, _BODY_WIDTH_IN - 0.2, _BODY_HEIGHT_IN - 0.1, 13)
    _lines(box, shown, Pt(size))
    return slide


def _table_slide(
    deck: Any,
    title: str,
    header: list[str],
    rows: list[list[str]],
    *,
    widths: tuple[float, ...],
) -> Any:
    from pptx.util import Inches, Pt

    slide = deck.slides.add_slide(layouts(deck)[1])
    _title(slide, title)
    heights = [
        row_height(values, widths, 12 if r else 13) for r, values in enumerate([header, *rows])
    ]
    shape = slide.shapes.add_table(
        len(rows) + 1,
        len(header),
        Inches(MARGIN_IN),
        Inches(_BODY_TOP_IN),
        Inches(sum(widths)),
        Inches(sum(heights)),
    )
    table = shape.table
    for i, width in enumerate(widths):
        table.columns[i].width = Inches(width)
    for r, values in enumerate([header, *rows]):
        table.rows[r].height = Inches(heights[r])
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            cell.text = printable(value)
            for paragraph in cell.text_frame.paragraphs:
                paragraph.font.size = Pt(12 if r else 13)
    return slide


def _picture_slide(deck: Any, title: str, png: bytes, notes: list[str]) -> Any:
    from pptx.util import Inches, Pt

    slide = deck.slides.add_slide(layouts(deck)[1])
    _title(slide, title)
    # The diagram fills what the notes leave, its proportions kept.
    room_w, room_h = (8.6 if notes else _BODY_WIDTH_IN), _BODY_HEIGHT_IN
    width, height = _png_size(png)
    scale = min(room_w / width, room_h / height)
    slide.shapes.add_picture(
        io.BytesIO(png),
        Inches(MARGIN_IN),
        Inches(_BODY_TOP_IN),
        Inches(width * scale),
        Inches(height * scale),
    )
    if notes:
        box = slide.shapes.add_textbox(
            Inches(9.4), Inches(_BODY_TOP_IN), Inches(3.333), Inches(_BODY_HEIGHT_IN)
        )
        size, shown = fit(notes, 3.333 - 0.2, _BODY_HEIGHT_IN - 0.1, 11)
        _lines(box, shown, Pt(size))
    return slide


def _lines(box: Any, lines: list[str], size: Any) -> None:
    """Set ``lines`` in a text box, one paragraph each, wrapped, at ``size``."""
    frame = box.text_frame
    frame.word_wrap = True
    for i, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.text = printable(line)
        paragraph.font.size = size


def _png_size(png: bytes) -> tuple[float, float]:
    """A PNG's width and height (in pixels) from its header."""
    width, height = struct.unpack(">II", png[16:24])
    return float(width), float(height)
