"""The escapers' shortcuts for plain text give what the full escaping gives."""

from __future__ import annotations

import random

from journeygraph import escape
from journeygraph.escape import markdown, printable


def _printable_in_full(text: object, *, one_line: bool = False) -> str:
    """``printable`` as it was before its shortcut: every text through both patterns."""
    shown = escape._HIDDEN.sub(escape._visible, str(text))
    return escape._BREAKS.sub(escape._visible, shown) if one_line else shown


def _markdown_in_full(text: object) -> str:
    """``markdown`` as it was before its shortcut: every text translated."""
    text = _printable_in_full(text).translate(escape._MD_ESCAPES)
    if "\n" in text:
        text = escape._MD_BREAK.sub(" ", text)
    match = escape._MD_LINE_START.match(text)
    if match:
        cut = match.start(2) if match.group(2) in "-=" else match.end()
        text = text[:cut] + "\\" + text[cut:]
    return text


def test_every_hidden_character_is_one_isprintable_refuses() -> None:
    # printable() returns a text isprintable() accepts as it is: that holds only if
    # no character the patterns write out is printable.
    for pattern in (escape._HIDDEN, escape._BREAKS):
        for code in range(0x110000):
            if pattern.match(chr(code)):
                assert not chr(code).isprintable(), hex(code)


def test_the_markdown_shortcut_skips_only_texts_the_translation_leaves() -> None:
    special = {chr(code) for code in range(0x110000) if escape._MD_SPECIAL.match(chr(code))}
    assert special == {*map(chr, escape._MD_ESCAPES), "\n"}
    # The replacements made in turn are the translation's, the backslash first.
    replaced = dict(escape._MD_REPLACEMENTS)
    assert replaced == {chr(code): text for code, text in escape._MD_ESCAPES.items()}
    assert [c for c, _ in escape._MD_REPLACEMENTS][:2] == ["\\", "&"]


ALPHABET = (
    "abc XYZ 019 .)-=\t\n\r\x00\x1b\x7f\x85\xa0\u061c\u200b\u200e\u2028\u202e\u2066"
    "\ud800\ufdd0\ufeff\ufffe\U000e0041é→✓&<>\\`*_{}[]()#+!|~'\""
)


def test_the_shortcuts_give_what_the_full_escaping_gives() -> None:
    rng = random.Random(30)
    texts = [
        "".join(rng.choice(ALPHABET) for _ in range(rng.randrange(0, 12))) for _ in range(100_000)
    ]
    texts += ["Touchpoint 12", "1. first", "  - item", "12) x", "= under", "", " ", "R×2 A"]
    for text in texts:
        assert printable(text) == _printable_in_full(text), repr(text)
        assert printable(text, one_line=True) == _printable_in_full(text, one_line=True)
        assert markdown(text) == _markdown_in_full(text), repr(text)


def test_a_str_subclass_comes_back_a_plain_str() -> None:
    class Marked(str):
        pass

    for shown in (printable(Marked("plain")), markdown(Marked("plain"))):
        assert type(shown) is str
        assert shown == "plain"
