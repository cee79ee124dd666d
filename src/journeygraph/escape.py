"""User text made safe to show: control characters made visible, lengths bounded.

A map's names can hold any text, including the escape sequences that clear
a terminal or retitle its window. Everything journeygraph prints to a
terminal, and every label it draws, passes through :func:`printable`.
"""

from __future__ import annotations

import re
from typing import Any, Final

__all__ = [
    "LABEL_LIMIT",
    "count",
    "duration",
    "json_safe",
    "json_text",
    "markdown",
    "printable",
    "shorten",
    "shown",
]

LABEL_LIMIT: Final = 500
"""The most characters of one name a diagram draws; the rest is cut with an ellipsis."""

# C0 and C1 controls (line breaks and tabs excepted), DEL, the invisible
# direction marks, lone surrogates (no file can hold them) and the
# noncharacters U+FDD0-U+FDEF, U+FFFE and U+FFFF (XML, and so SVG and
# Graphviz's HTML labels, cannot hold them), and invisible characters that make text
# read other than it is: the zero-width space, line and paragraph separators, the
# byte-order mark and the tag characters.
_HIDDEN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
    "\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff\u200b\u2028\u2029\ufeff\U000e0000-\U000e007f]"
)


def shown(path: object) -> str:
    """A file name or an id as journeygraph shows it: on one line, controls written out.

    Examples
    --------
    >>> shown("out\\nput\\x07.svg")
    'out\\\\x0aput\\\\x07.svg'
    """
    return printable(path, one_line=True)


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


_BREAKS = re.compile("[\t\n]")


def printable(text: object, *, one_line: bool = False) -> str:
    """``text`` with every control character written out, as ``\\x1b`` or ``\\u202e``.

    Line breaks and tabs stay, unless ``one_line``: a file name or an id is
    shown on one line whatever it holds.

    Examples
    --------
    >>> printable("Sales \\x1b[2J\\x07 team\\u202e")
    'Sales \\\\x1b[2J\\\\x07 team\\\\u202e'
    >>> printable("two\\nlines\\tand a tab")
    'two\\nlines\\tand a tab'
    >>> printable("bad\\nname.yaml", one_line=True)
    'bad\\\\x0aname.yaml'
    """
    text = str(text)
    # Every character the two patterns match is one isprintable() refuses (a control,
    # a format character, a separator, a surrogate or a noncharacter; a test checks
    # each), so a text it accepts is shown as it is: one pass in C for most names,
    # and a report shows hundreds of thousands of them.
    if text.isprintable():
        return text
    shown = _HIDDEN.sub(_visible, text)
    return _BREAKS.sub(_visible, shown) if one_line else shown


# Each Markdown special character after a backslash and each of ``&<>`` as an HTML
# entity. None of the entities holds a special character.
_MD_ESCAPES: Final = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;"} | {c: "\\" + c for c in "\\`*_{}[]()#+!|~"}
)
# The same, as replacements made in turn: the backslash first and the ampersand next, so
# that none escapes what an earlier one wrote; the rest write only a backslash and
# themselves. Each is a search in C that most texts pass at once, where ``str.translate``
# with a table of strings looks each character up (a tenth of the Markdown report's
# time at 10,000 touchpoints); a test checks both give the same text.
_MD_REPLACEMENTS: Final = tuple(
    (c, _MD_ESCAPES[ord(c)])
    for c in sorted(map(chr, _MD_ESCAPES), key=lambda c: (c != "\\", c != "&", c))
)
# What the translation or the joining of lines changes: a text without any is left as
# it is, without the translation's lookup of each character.
_MD_SPECIAL = re.compile(f"[{re.escape(''.join(map(chr, _MD_ESCAPES)))}\n]")
_MD_BREAK = re.compile(r"\s*\n\s*")
_MD_LINE_START = re.compile(r"^(\s*)([-=]|\d+(?=[.)]))")


def markdown(text: object) -> str:
    """User text for Markdown: never markup, a link, HTML or table syntax; one line.

    The one Markdown escaper: every text a user wrote goes through it on its
    way into Markdown (headings, tables, lists and images' alt text alike).
    Control characters are written out as by :func:`printable`.

    Examples
    --------
    >>> print(markdown("<b>*Deal*</b> | [x](y)\\nnext"))
    &lt;b&gt;\\*Deal\\*&lt;/b&gt; \\| \\[x\\]\\(y\\) next
    >>> print(markdown("- item")), print(markdown("1. first")), print(markdown("a\\x1b[2J"))
    \\- item
    1\\. first
    a\\\\x1b\\[2J
    (None, None, None)
    """
    text = printable(text)
    if _MD_SPECIAL.search(text) is not None:  # most texts hold nothing to escape
        for special, escaped in _MD_REPLACEMENTS:
            if special in text:
                text = text.replace(special, escaped)
        if "\n" in text:
            text = _MD_BREAK.sub(" ", text)
    match = _MD_LINE_START.match(text)
    if match:  # a list item, a setext underline or an ordered item if it began a line
        cut = match.start(2) if match.group(2) in "-=" else match.end()
        text = text[:cut] + "\\" + text[cut:]
    return text


def json_text(data: object, **options: Any) -> str:
    """``data`` as JSON that no terminal obeys: control characters and direction
    marks written as ``\\uXXXX`` escapes (JSON readers get the same text back).

    The one JSON writer of what journeygraph prints or saves; ``options`` go to
    :func:`json.dumps` (by default ``ensure_ascii=False, allow_nan=False``).

    Examples
    --------
    >>> print(json_text({"name": "Sales\\u202e\\x85 é"}))
    {"name": "Sales\\u202e\\u0085 é"}
    """
    import json

    raw = json.dumps(data, **{"ensure_ascii": False, "allow_nan": False, **options})
    return json_safe(raw)


def _json_escape(match: re.Match[str]) -> str:
    """A hidden character as JSON's escape: one ``\\uXXXX``, or a surrogate pair for a
    character beyond U+FFFF (a tag character such as U+E0041), as JSON writes them."""
    code = ord(match.group())
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def json_safe(raw: str) -> str:
    """JSON text as :func:`json_text` leaves it: hidden characters written as ``\\uXXXX``.

    For JSON put together from pieces each encoded as JSON (every hidden
    character there stands inside a string).

    Examples
    --------
    >>> json_safe('{"name": "Sales\u202e"}')
    '{"name": "Sales\\\\u202e"}'
    """
    if raw.isascii() and not any(
        raw[start : start + _SLICE].encode("ascii").translate(None, _ASCII_SHOWN)
        for start in range(0, len(raw), _SLICE)
    ):
        # Nothing hidden (the usual case, and one a regular expression would take a
        # tenth of a large audit's JSON to find): ``isascii`` is a flag of the text,
        # and the translation keeps only the ASCII controls the pattern matches. A
        # slice at a time: a large audit's text (120 MB at 100,000 touchpoints) is
        # not copied whole as bytes beside it.
        return raw
    return _HIDDEN.sub(_json_escape, raw)


_SLICE: Final = 1 << 20
"""How many characters `json_safe` looks at in one piece."""

_ASCII_SHOWN: Final = bytes([9, 10, *range(0x20, 0x7F)])
"""The ASCII characters `_HIDDEN` leaves: tab, line feed and the printable ones."""


def shorten(text: str, limit: int = LABEL_LIMIT) -> str:
    """``text`` cut to ``limit`` characters, an ellipsis standing for the rest.

    Examples
    --------
    >>> shorten("Onboarding call", 10)
    'Onboardin…'
    """
    return text if len(text) <= limit else text[: limit - 1] + "…"


def count(n: int, noun: str) -> str:
    """``n`` and ``noun``, plural unless ``n`` is 1.

    Examples
    --------
    >>> count(1, "finding"), count(3, "finding")
    ('1 finding', '3 findings')
    """
    return f"{n} {noun}{'' if n == 1 else 's'}"


def duration(seconds: float) -> str:
    """A time span for people.

    Examples
    --------
    >>> duration(42), duration(5400), duration(9000), duration(3 * 86400)
    ('42 s', '90 min', '2.5 h', '3.0 d')
    """
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 2 * 3600:
        return f"{seconds / 60:.0f} min"
    if seconds < 2 * 86400:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} d"


def percent(part: float, whole: float) -> str:
    """``part`` of ``whole`` as a whole percentage that never rounds to 0% or 100% unless it is.

    Examples
    --------
    >>> percent(1, 4), percent(4559, 4580), percent(1, 4580), percent(0, 5), percent(3, 3)
    ('25%', '>99%', '<1%', '0%', '100%')
    """
    if not whole:
        return "0%"
    share = part / whole
    if 0 < share < 0.005:
        return "<1%"
    if 0.995 <= share < 1:
        return ">99%"
    return f"{share:.0%}"
