"""A theme laid over the slides: what the theme file names, over the template's own look.

A deck keeps its template's fonts and colours (the consultancy's masters) for what a
theme leaves out; the fonts and severity colours a theme file sets are applied to
every text and to the action plan's Severity column, its logo to the title slide.
"""

from __future__ import annotations

import io
from typing import Any

from journeygraph.severity import Severity
from journeygraph.theme import Theme

__all__ = ["LOGO_BOX_IN", "apply_theme", "place_logo"]

LOGO_BOX_IN = (11.2, 0.4, 1.6, 1.0)
"""Where the title slide's logo goes (left, top, width, height in inches): its top right,
the logo scaled to fit, its proportions kept."""


def apply_theme(deck: Any, theme: Theme) -> None:
    """Set the theme's first font on every text run and its severity colours on the cells
    of each table's Severity column, where the theme file sets them."""
    from pptx.dml.color import RGBColor

    fonts = theme.first_font() if theme.chosen("fonts") else None
    colours = theme.severity if theme.chosen("severity") else None
    for slide in deck.slides:
        for shape in slide.shapes:
            for frame, severity in _frames(shape):
                runs = [run for paragraph in frame.paragraphs for run in paragraph.runs]
                for run in runs:
                    if fonts is not None:
                        run.font.name = fonts
                    if colours is not None and severity is not None:
                        hex_ = colours[severity]
                        rgb = (int(hex_[i : i + 2], 16) for i in (1, 3, 5))
                        run.font.color.rgb = RGBColor(*rgb)  # type: ignore[no-untyped-call]
                        run.font.bold = True


def _frames(shape: Any) -> list[tuple[Any, Severity | None]]:
    """Each text frame of ``shape`` with the severity its text names, in a table's
    Severity column."""
    if shape.has_table:
        rows = list(shape.table.rows)
        header = [c.text for c in rows[0].cells]
        column = header.index("Severity") if "Severity" in header else None
        out: list[tuple[Any, Severity | None]] = []
        for r, row in enumerate(rows):
            for c, cell in enumerate(row.cells):
                named = cell.text if r and c == column else ""
                known = named in {s.value for s in Severity}
                out.append((cell.text_frame, Severity(named) if known else None))
        return out
    return [(shape.text_frame, None)] if shape.has_text_frame else []


def place_logo(slide: Any, theme: Theme) -> None:
    """The theme's logo at the title slide's top right; an SVG logo is left out (PowerPoint
    files carry raster pictures), as is a logo the theme does not give."""
    from pptx.util import Inches

    logo = theme.logo
    if logo is None or logo.suffix.lower() == ".svg":
        return
    from PIL import Image

    data = logo.read_bytes()
    with Image.open(io.BytesIO(data)) as image:
        width, height = image.size
    left, top, box_w, box_h = LOGO_BOX_IN
    scale = min(box_w / width, box_h / height)
    slide.shapes.add_picture(
        io.BytesIO(data),
        Inches(left + box_w - width * scale),
        Inches(top),
        Inches(width * scale),
        Inches(height * scale),
    )
