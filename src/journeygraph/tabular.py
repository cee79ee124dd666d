"""Cells for spreadsheets: the one CSV writer and the one workbook-cell guard.

Every CSV and workbook journeygraph writes passes its cells through here, so
that text a user wrote stays text wherever it is opened:

- a cell that a spreadsheet app would run as a formula (it starts with ``=``,
  ``+``, ``-``, ``@``, a tab or a line break) gets a leading ``'``, which the
  apps show as text; a cell that already starts with quotes before such a
  character gets one more, so that :func:`from_csv_cell` undoes it exactly;
- a CSV field holding a comma, a quote, a carriage return or a line feed is
  quoted (Python's :mod:`csv` writer leaves a lone carriage return unquoted
  when rows end in ``\\n``, and spreadsheets then end the row there);
- a workbook cell holding a control character that XML cannot carry is
  written in OOXML's own escape, ``_x001B_``, which Excel and LibreOffice read
  back as the character; a literal ``_x0041_`` in the text is itself escaped
  (``_x005F_x0041_``), so a round trip gives the text back;
- a workbook cell longer than Excel's limit (:data:`XLSX_CELL_LIMIT`) is refused
  with :class:`CellTooLongError`, since Excel would cut it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

__all__ = [
    "XLSX_CELL_LIMIT",
    "CellTooLongError",
    "csv_cell",
    "csv_text",
    "from_csv_cell",
    "from_xlsx_text",
    "xlsx_cell",
]

XLSX_CELL_LIMIT: Final = 32_767
"""The most characters a workbook cell holds in Excel; it cuts the rest."""

_FORMULA: Final = re.compile(r"^'*[=+\-@\t\r\n]")
_NEEDS_QUOTES: Final = re.compile(r'[,"\r\n]')
# What XML 1.0 cannot carry (tabs and line feeds it can), U+FFFE/U+FFFF, and
# the carriage return, which XML readers turn into a line feed.
_XML_ILLEGAL: Final = re.compile("[\x00-\x08\x0b-\x1f\ud800-\udfff\ufffe\uffff]")
_OOXML_ESCAPE: Final = re.compile("_x([0-9A-Fa-f]{4})_")
_ESCAPE_START: Final = re.compile("_(?=x[0-9A-Fa-f]{4}_)")


class CellTooLongError(ValueError):
    """A text longer than a workbook cell holds."""

    def __init__(self, length: int) -> None:
        super().__init__(
            f"a text of {length:,} characters, longer than the {XLSX_CELL_LIMIT:,} a workbook "
            "cell holds (Excel would cut it)"
        )
        self.length = length


def csv_cell(value: object) -> str:
    """``value`` as the text of one CSV cell that no spreadsheet runs as a formula.

    Examples
    --------
    >>> csv_cell("=1+1"), csv_cell("'=1+1"), csv_cell("\\rx"), csv_cell(None), csv_cell(-3)
    ("'=1+1", "''=1+1", "'\\rx", '', '-3')
    """
    if value is None:
        return ""
    if not isinstance(value, str):
        return str(value)  # a number journeygraph computed, not text a user wrote
    return "'" + value if _FORMULA.match(value) else value


def from_csv_cell(text: str) -> str | None:
    """The value :func:`csv_cell` wrote, or ``None`` for an empty cell.

    Examples
    --------
    >>> from_csv_cell(csv_cell("=1+1")), from_csv_cell(csv_cell("'=1+1")), from_csv_cell("")
    ('=1+1', "'=1+1", None)
    """
    if text == "":
        return None
    return text[1:] if text.startswith("'") and _FORMULA.match(text[1:]) else text


def _field(text: str) -> str:
    return '"' + text.replace('"', '""') + '"' if _NEEDS_QUOTES.search(text) else text


def csv_text(rows: Iterable[Iterable[object]]) -> str:
    """``rows`` as CSV text (RFC 4180 quoting, rows ending in ``\\n``), every cell guarded.

    Examples
    --------
    >>> csv_text([["name", "note"], ["Sales, EMEA", "=HYPERLINK(1)"], ["a\\rb", 'a "b" c']])
    'name,note\\n"Sales, EMEA",\\'=HYPERLINK(1)\\n"a\\rb","a ""b"" c"\\n'
    """
    return "".join(",".join(_field(csv_cell(v)) for v in row) + "\n" for row in rows)


def xlsx_cell(value: object) -> object:
    """``value`` as a workbook cell keeps it: text escaped (see the module), numbers as they are.

    A text cell must also be typed as text (openpyxl's ``data_type = "s"``), or
    openpyxl makes a text with a leading ``=`` a formula.

    Raises
    ------
    CellTooLongError
        When the text is longer than :data:`XLSX_CELL_LIMIT` once escaped.

    Examples
    --------
    >>> xlsx_cell("Sales \\x1b[2J"), xlsx_cell("_x0041_"), xlsx_cell(2.5)
    ('Sales _x001B_[2J', '_x005F_x0041_', 2.5)
    >>> from_xlsx_text(xlsx_cell("Sales \\x1b[2J _x0041_"))
    'Sales \\x1b[2J _x0041_'
    """
    if not isinstance(value, str):
        return value
    if value.isprintable() and "_x" not in value:
        # Nothing to escape (most texts), found in C: every character `_XML_ILLEGAL`
        # matches is one `isprintable` refuses (a test checks all of Unicode).
        if len(value) > XLSX_CELL_LIMIT:
            raise CellTooLongError(len(value))
        return value
    # Every underscore that begins an escape-like run is itself escaped, runs that
    # touch included (`_x0041_x0042_`), so that reading it back gives the text.
    text = _ESCAPE_START.sub("_x005F_", value)
    text = _XML_ILLEGAL.sub(lambda m: f"_x{ord(m.group()):04X}_", text)
    if len(text) > XLSX_CELL_LIMIT:
        raise CellTooLongError(len(text))
    return text


def from_xlsx_text(text: str) -> str:
    """The text :func:`xlsx_cell` wrote (OOXML's ``_xHHHH_`` escapes read back).

    Examples
    --------
    >>> from_xlsx_text("a_x000A_b"), from_xlsx_text("_x005F_x0041_")
    ('a\\nb', '_x0041_')
    """
    if "_x" not in text:
        return text
    return _OOXML_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
