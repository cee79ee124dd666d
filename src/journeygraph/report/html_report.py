"""The report as one self-contained HTML page (it prints to the PDF)."""

from __future__ import annotations

import functools
import io
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Final

try:
    import jinja2
    from markupsafe import Markup
except ModuleNotFoundError as _err:  # a library user reads which extra to install
    from journeygraph.extras import missing_extra

    raise (missing_extra(_err) or _err) from None

from journeygraph.actions import first_actions, reach_header
from journeygraph.escape import printable, shown
from journeygraph.exceptions import JourneyGraphError
from journeygraph.report.diagrams import FIGURE_MM
from journeygraph.report.html_rows import action_rows, finding_rows, matrix_rows, touchpoint_rows
from journeygraph.report.layout import Fit, in_parts
from journeygraph.report.text_format import (
    TOP,
    duration,
)
from journeygraph.report.view import (
    CHANGES_IN_FULL,
    MATRIX_IN_FULL,
    PORTFOLIO_ACTIONS,
    PORTFOLIO_FINDINGS,
    PRINTED_ROWS,
    Report,
)
from journeygraph.report.wording import client_words, joined, rule_title

if TYPE_CHECKING:
    pass

__all__ = [
    "COMPILED",
    "LOGO_BYTES",
    "LOGO_PIXELS",
    "TEMPLATE",
    "compiled_template",
    "css_string",
    "html_report",
    "logo_uri",
]


def _shown(value: object) -> object:
    """Every text put into the page with its control characters written out (an ESC
    would reach the terminal of whoever prints the file); markup made here stays."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return printable(value)
    return value


_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("journeygraph.report", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    finalize=_shown,
)


def css_string(text: str) -> str:
    """``text`` as a CSS string literal: every character but letters, digits and spaces
    written as a CSS escape, so no user text can end the string, the rule or the style.

    Examples
    --------
    >>> print(css_string('A "b" </style>'))
    "A \\22 b\\22  \\3c \\2f style\\3e "
    """
    out = "".join(c if c.isalnum() or c == " " else f"\\{ord(c):x} " for c in text)
    return f'"{out}"'


LOGO_BYTES: Final = 5 * 1024 * 1024
"""The largest logo file the report embeds (a logo is tens of kilobytes)."""
LOGO_PIXELS: Final = 25_000_000
"""The most pixels a raster logo may have (a 5,000 x 5,000 image)."""


def logo_uri(path: Path) -> str:
    """An image file as a ``data:`` URI for the report's cover (PNG, JPEG or SVG).

    The kind is read from the file's content, not its name; the file and, for
    PNG and JPEG, its pixel count are bounded (:data:`LOGO_BYTES`,
    :data:`LOGO_PIXELS`), so that the report stays small and safe to open.
    """
    import base64

    try:
        size = path.stat().st_size
        if size > LOGO_BYTES:
            raise JourneyGraphError(
                f"{shown(path)}: a logo of {size:,} bytes, over the {LOGO_BYTES:,} the report "
                "embeds; use a smaller image"
            )
        data = path.read_bytes()[: LOGO_BYTES + 1]
    except OSError as err:
        raise JourneyGraphError(f"{shown(path)}: cannot be read ({err.strerror})") from None
    kind = _logo_kind(path, data)
    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"


def _logo_kind(path: Path, data: bytes) -> str:
    """The MIME type of a logo, from its content; a located refusal otherwise."""
    if data.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")):
        import warnings

        from PIL import Image

        too_many = (
            f"{shown(path)}: a logo of more than {LOGO_PIXELS:,} pixels, over what the report "
            "embeds; use a smaller image"
        )
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                with Image.open(io.BytesIO(data)) as image:
                    width, height = image.size
                    kind = {"PNG": "image/png", "JPEG": "image/jpeg"}.get(image.format or "")
                    image.verify()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise JourneyGraphError(too_many) from None
        except Exception:  # Pillow raises many kinds for a damaged image
            kind = None
            width = height = 0
        if kind is None:
            raise JourneyGraphError(f"{shown(path)}: a damaged image; a logo is a PNG, JPEG or SVG")
        if width * height > LOGO_PIXELS:
            raise JourneyGraphError(too_many)
        return kind
    from lxml import etree

    try:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        root = None
    if root is None or etree.QName(root).localname != "svg":
        raise JourneyGraphError(
            f"{shown(path)}: not a PNG, JPEG or SVG image (whatever its name says); "
            "a logo is one of these"
        )
    return "image/svg+xml"


def print_height(plan: Fit | None) -> Markup:
    """The style attribute that prints a diagram at its planned height, if it has one.

    Examples
    --------
    >>> print_height(Fit(112.5, (8,)))
    Markup(' style="--print-height: 112.5mm"')
    >>> print_height(None)
    Markup('')
    """
    if plan is None or plan.height_mm is None:
        return Markup("")
    return Markup(f' style="--print-height: {plan.height_mm:g}mm"')


def _counts(summary: dict[str, int]) -> str:
    return ", ".join(f"{n} {severity}" for severity, n in summary.items() if n) or "none"


_ENV.filters["counts"] = _counts
_ENV.filters["reach_header"] = reach_header
_ENV.filters["duration"] = duration
_ENV.filters["file_name"] = lambda path: Path(str(path)).name
# Safe as it is: every character that could end the string or the style is a CSS
# escape, and an HTML escape (&#34;) inside <style> would be read as it stands.
_ENV.filters["rule_title"] = rule_title
_ENV.filters["client_words"] = client_words
_ENV.filters["joined"] = joined
_ENV.filters["in_parts"] = in_parts
_ENV.filters["print_height"] = print_height
_ENV.filters["action_rows"] = action_rows
_ENV.filters["finding_rows"] = finding_rows
_ENV.filters["touchpoint_rows"] = touchpoint_rows
_ENV.filters["matrix_rows"] = matrix_rows
_ENV.filters["css_string"] = lambda text: Markup(css_string(str(text)))
# Safe as it is: each font name is a CSS string whose every character but a letter,
# digit or space is a CSS escape (`journeygraph.theme.Theme.css_fonts`).
_ENV.filters["css_fonts"] = lambda theme: Markup(theme.css_fonts())


TEMPLATE: Final = "report.html.j2"
COMPILED: Final = f"{TEMPLATE}.compiled"
"""The template's code as Jinja2 compiles it, written ahead (``scripts/update-docs``; a test
checks it is current): compiling the template's 500 lines took every report a fifth of a
second of CPU."""


def compiled_template() -> str:
    """The code of :data:`COMPILED`: a first line keyed to the template's text and Jinja2's
    version, then the Python Jinja2 compiles the template to."""
    source, filename, _ = _source()
    return f"# {_key(source)}\n" + _ENV.compile(source, TEMPLATE, filename, raw=True)


def _source() -> tuple[str, str | None, Callable[[], bool] | None]:
    assert _ENV.loader is not None  # the package's loader, set above
    return _ENV.loader.get_source(_ENV, TEMPLATE)


def _key(source: str) -> str:
    import hashlib

    # What the code depends on: Jinja2, the template, and how the environment compiles.
    options = (
        _ENV.autoescape,
        _ENV.trim_blocks,
        _ENV.lstrip_blocks,
        _ENV.keep_trailing_newline,
        _ENV.finalize is not None,
        sorted(_ENV.filters),
    )
    text = f"{jinja2.__version__}\n{options}\n{source}"
    return "jinja2 template " + hashlib.sha256(text.encode("utf-8")).hexdigest()


@functools.cache
def _template() -> jinja2.Template:
    """The report's template, from the code compiled ahead when it was compiled from this
    very template by this Jinja2 (as Jinja2 itself would: the same code, run in the same
    environment), compiled afresh otherwise."""
    from importlib.resources import files

    source, filename, uptodate = _source()
    try:
        ahead = files("journeygraph.report").joinpath("templates", COMPILED).read_text("utf-8")
    except OSError:
        ahead = ""
    key, _, code = ahead.partition("\n")
    if key != f"# {_key(source)}":
        return _ENV.get_template(TEMPLATE)
    return _ENV.template_class.from_code(
        _ENV, compile(code, filename or TEMPLATE, "exec"), _ENV.make_globals(None), uptodate
    )


def html_report(report: Report, *, printing: bool = False) -> str:
    """The report as one self-contained HTML page (inline CSS, SVG and script).

    ``printing`` makes the page the PDF is printed from: the long lists (a rule's
    findings, a stage's touchpoints, the action plan) hold the :data:`PRINTED_ROWS`
    the paper shows, not every row hidden past them, which Chromium cannot print
    at 10,000 touchpoints.

    Every text from the maps is escaped by the template engine; the SVGs come
    from Graphviz, which escapes them itself.
    """
    return _render(_template(), report, printing=printing)


def _render(template: jinja2.Template, report: Report, *, printing: bool = False) -> str:
    from journeygraph.render.style import current_theme

    return template.render(
        **vars(report),
        theme=current_theme(),
        total_findings=report.total_findings,
        byline=report.byline,
        top=TOP,
        first_actions=first_actions([(j.card.name, j.actions) for j in report.journeys]),
        figure_mm=FIGURE_MM,
        portfolio_actions=PORTFOLIO_ACTIONS,
        portfolio_findings=PORTFOLIO_FINDINGS,
        changes_in_full=CHANGES_IN_FULL,
        matrix_in_full=MATRIX_IN_FULL,
        printed_rows=PRINTED_ROWS,
        printing=printing,
    )
