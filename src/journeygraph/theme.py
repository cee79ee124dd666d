"""The look every output shares: colours of severities and RACI roles, fonts, logo, cover.

One model, :class:`Theme`, is the single description of a ``theme.yaml`` file
(``report --theme``, ``render --theme``, ``actions --theme``); its defaults are
the colours and fonts every output had before themes, so a deliverable made
without ``--theme`` is unchanged. ``journeygraph.io.load.load_theme`` reads a
file with the map's located messages; the renderers read the theme they are
handed (``journeygraph.render.style``).

Examples
--------
>>> Theme().severity.high
'#c62828'
>>> Theme().css_fonts()
'Helvetica, Arial, sans-serif'
>>> print(Theme(fonts=["Source Sans 3", "Font+.9", "serif"]).css_fonts())
'Source Sans 3', 'Font\\2b \\2e 9', serif
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Final

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from journeygraph.severity import Severity

__all__ = ["DEFAULT_THEME", "CoverText", "RaciColours", "SeverityColours", "Theme"]

_HEX = re.compile(r"#[0-9a-fA-F]{6}")
_GENERIC = frozenset({"serif", "sans-serif", "monospace", "cursive", "fantasy", "system-ui"})
_PLAIN_NAME = re.compile(r"[A-Za-z][A-Za-z0-9-]*")


def _colour(value: object) -> str:
    if value is None:  # `high: #c62828` unquoted: YAML reads a comment, and no value
        raise ValueError("must be a colour in quotes, '#rrggbb': unquoted, # starts a comment")
    if not isinstance(value, str) or not _HEX.fullmatch(value):
        raise ValueError(
            f"must be a colour written '#rrggbb' (six hexadecimal digits, in quotes, e.g. "
            f"'#c62828'), not {value!r}"
        )
    return value.lower()


def _font(value: str) -> str:
    # Letters (any script), digits, spaces and - _ . + only: a font's name needs no more,
    # and Graphviz writes the name into its SVG as it stands, where a quote or a < would
    # be markup. CSS quotes and escapes it besides (`Theme.css_fonts`).
    if not value.strip() or any(not (c.isalnum() or c in " -_.+") for c in value):
        raise ValueError(
            f"must be a font's name (letters, digits, spaces, - _ . +), not {value!r}; "
            "give each font as its own item of the list"
        )
    return value


Colour = Annotated[str, BeforeValidator(_colour)]
"""A colour as ``#rrggbb``, stored in lower case."""
FontName = Annotated[str, Field(max_length=80), AfterValidator(_font)]
"""A typeface's name, or a generic family (``sans-serif``)."""


class SeverityColours(BaseModel):
    """The colour of a finding of each severity: its border, text and marker."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    high: Colour = Field("#c62828", description="High findings; also a handoff gap.")
    medium: Colour = Field("#ef6c00", description="Medium findings.")
    low: Colour = Field("#1565c0", description="Low findings; also the report's links.")
    info: Colour = Field("#607d8b", description="Informational findings.")

    def __getitem__(self, severity: Severity) -> str:
        colour: str = getattr(self, severity.value)
        return colour


class RaciColours(BaseModel):
    """The fill of a heat map cell by the strongest role a function holds there.

    R is the darkest of the workload steps; the lighter steps are R over white.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    R: Colour = Field("#0d47a1", description="Responsible (the darkest heat map step).")
    A: Colour = Field("#fff3e0", description="Accountable, not Responsible.")
    C: Colour = Field("#f5f5f5", description="Consulted only.")
    I: Colour = Field("#fafafa", description="Informed only.")  # noqa: E741 (the role's letter)

    def __getitem__(self, role: str) -> str:
        colour: str = getattr(self, role) if role else "#ffffff"
        return colour


class CoverText(BaseModel):
    """What the report's cover and title slide say besides the journey's name."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str | None = Field(None, description="The title (--title overrides it).")
    text: str | None = Field(
        None, description="A line under the byline, e.g. 'Confidential: prepared for the board'."
    )


class Theme(BaseModel):
    """A theme file: the colours, fonts, logo and cover text of every output."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    severity: SeverityColours = Field(
        default_factory=SeverityColours, description="Colours of the findings' severities."
    )
    raci: RaciColours = Field(
        default_factory=RaciColours, description="Colours of the RACI roles in the heat map."
    )
    fonts: list[FontName] = Field(
        default_factory=lambda: ["Helvetica", "Arial", "sans-serif"],
        min_length=1,
        description="Typefaces of every text, first choice first; end with a generic "
        "family (sans-serif, serif).",
    )
    logo: Path | None = Field(
        None,
        description="A .png, .jpg or .svg file for the cover and the title slide, relative "
        "to the theme file.",
    )
    cover: CoverText = Field(default_factory=CoverText, description="The cover's text.")

    def chosen(self, field: str) -> bool:
        """Whether the theme file set ``field``: slides and workbooks keep their own look
        (a PowerPoint template's fonts) for what a theme leaves out."""
        return field in self.model_fields_set

    def graphviz_fonts(self) -> str:
        """The fonts as Graphviz's ``fontname`` (a comma-separated list)."""
        return ",".join(self.fonts)

    def css_fonts(self, *, fallbacks: tuple[str, ...] = ()) -> str:
        """The fonts as a CSS ``font-family`` value, each name a quoted CSS string unless a
        plain word: no name can end the declaration or the style sheet. ``fallbacks`` go
        before a last generic family (the canvas's metric-compatible faces)."""
        names = list(self.fonts)
        generic = names.pop() if names[-1] in _GENERIC else None
        names += [f for f in fallbacks if f not in names]
        out = [_css_name(n) for n in names]
        return ", ".join(out + ([generic] if generic else []))

    def first_font(self) -> str:
        """The first font, as slides and workbooks name a run's typeface."""
        return self.fonts[0]


def _css_name(name: str) -> str:
    if name in _GENERIC or _PLAIN_NAME.fullmatch(name):
        return name
    # Quoted, every character but an ASCII letter, digit or space written as a CSS
    # escape: nothing a user wrote can close the string, the rule or a <style>.
    escaped = "".join(
        c if c.isascii() and (c.isalnum() or c == " ") else f"\\{ord(c):x} " for c in name
    )
    return f"'{escaped}'"


DEFAULT_THEME: Final = Theme()
"""The look of every output without ``--theme``: the one place its values are set."""
