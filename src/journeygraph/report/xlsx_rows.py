"""A workbook's rows written as the sheet's XML text, in the form openpyxl writes them.

openpyxl makes every cell an object and writes it through lxml, element by
element: about 12 microseconds a cell even before the cell is made, 4 seconds
for the 325,000 cells of a 10,000-touchpoint map's action plan (issue 30), more
than the audit took. A plan's cells are few in kind (text, numbers,
nothing), each with one of a few styles, so their XML is written here as text,
exactly as openpyxl writes it (a test compares the two byte for byte), and set
into the sheet openpyxl saved with its header, settings and styles.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections.abc import Iterable, Sequence

from journeygraph.extras import optional

__all__ = ["ROWS_COMPRESSION", "Cell", "number_cell", "rows_xml", "text_cell", "with_rows"]

Cell = str | int | float | None
"""What a cell holds here: text already made safe by `journeygraph.tabular.xlsx_cell`, a
number, or nothing."""


def rows_xml(
    rows: Iterable[Sequence[Cell]], styles: Iterable[Sequence[int]], *, first: int = 2
) -> bytes:
    """The ``<row>`` elements of ``rows``, numbered from ``first``, each cell with the
    style in ``styles`` (an index into the workbook's cell formats; 0: none) at its place.

    Examples
    --------
    >>> rows_xml([[1, None, None]], [[2, 2, 0]])
    b'<row r="2"><c r="A2" s="2" t="n"><v>1</v></c><c r="B2" s="2" t="n"></c></row>'
    >>> rows_xml([["a & b"]], [[2]])
    b'<row r="2"><c r="A2" s="2" t="inlineStr"><is><t>a &amp; b</t></is></c></row>'
    >>> rows_xml([[" é"]], [[0]], first=7)
    b'<row r="7"><c r="A7" t="inlineStr"><is><t xml:space="preserve"> &#233;</t></is></c></row>'
    """
    optional("openpyxl")  # its writer chosen, whichever import comes first
    from openpyxl.utils import get_column_letter

    letters: list[str] = []
    out: list[str] = []
    for number, (row, style) in enumerate(zip(rows, styles, strict=True), start=first):
        while len(letters) < len(row):
            letters.append(get_column_letter(len(letters) + 1))
        out.append(f'<row r="{number}">')
        for letter, s, value in zip(letters, style, row, strict=False):
            at = f'<c r="{letter}{number}" s="{s}"' if s else f'<c r="{letter}{number}"'
            if isinstance(value, str):
                out.append(at + text_cell(value))
            elif value is not None or s:  # openpyxl leaves out a cell with neither
                out.append(at + number_cell(value))
        out.append("</row>")
    # As libxml2 writes an ASCII document: any other character as a reference.
    return "".join(out).encode("ascii", "xmlcharrefreplace")


def text_cell(text: str) -> str:
    """What follows a cell's reference and style when it holds ``text`` (made safe by
    `journeygraph.tabular.xlsx_cell`), up to its end.

    Examples
    --------
    >>> text_cell("a & b → c")
    ' t="inlineStr"><is><t>a &amp; b &#8594; c</t></is></c>'
    """
    if not text:
        return ' t="inlineStr"></c>'
    # Space at either end, as `text != text.strip()` says without copying a long text.
    space = ' xml:space="preserve"' if text[0].isspace() or text[-1].isspace() else ""
    text = _xml(text)
    if not text.isascii():
        # As the sheet is written (`rows_xml`), here: the rows' text stays ASCII, one
        # byte a character, where a "→" made every row that held one wider (0.05 s of
        # a 10,000-touchpoint plan's 0.36 s of rows).
        text = text.encode("ascii", "xmlcharrefreplace").decode("ascii")
    return f' t="inlineStr"><is><t{space}>{text}</t></is></c>'


def number_cell(value: object) -> str:
    """What follows a cell's reference and style when it holds the number ``value``, or
    nothing (``None``), up to its end.

    Examples
    --------
    >>> number_cell(3), number_cell(None)
    (' t="n"><v>3</v></c>', ' t="n"></c>')
    """
    if value is None:
        return ' t="n"></c>'
    if type(value) is int or (type(value) is float and math.isfinite(value)):
        return f' t="n"><v>{value:.16g}</v></c>'
    raise TypeError(f"a workbook cell holds text, a number or nothing: {value!r}")


def _xml(text: str) -> str:
    """``text`` escaped as libxml2 escapes a text node."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if "\r" in text:
        text = text.replace("\r", "&#13;")
    return text


def with_rows(book: bytes, rows: dict[str, tuple[str, bytes]]) -> bytes:
    """The workbook ``book`` (as openpyxl saved it) with rows set into some of its sheets:
    by the sheet's part (``xl/worksheets/sheet1.xml``), the range its cells now cover
    (``A1:K29581``) and the rows' XML (:func:`rows_xml`), put after the rows it has.

    The other parts are copied as they are, each with its name, time and
    attributes, in their order, compressed as openpyxl compresses them; the
    sheets with rows set in are compressed at :data:`ROWS_COMPRESSION`.
    """
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(book)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as target,
    ):
        for info in source.infolist():
            part = source.read(info)
            level = None  # zlib's default, as openpyxl's
            if info.filename in rows:
                part = _spliced(part, *rows[info.filename])
                level = ROWS_COMPRESSION
            copied = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            copied.compress_type = info.compress_type
            copied.external_attr = info.external_attr
            target.writestr(copied, part, compresslevel=level)
    return out.getvalue()


ROWS_COMPRESSION = 3
"""The zlib level the sheets' rows are compressed at, where openpyxl takes zlib's default
(6). Measured on the action plan of a 10,000-touchpoint map (21 MB of XML): 0.10 s of
CPU against 0.28 s, for a sheet of 2.06 MB against 1.80 MB (level 1: 0.07 s, 2.32 MB)."""


def _spliced(sheet: bytes, dimension: str, rows: bytes) -> bytes:
    """The sheet's XML with ``rows`` at the end of its data and its range ``dimension``.

    openpyxl writes through lxml (``<dimension ref="A1"/>``) or, without it, through
    ElementTree (``<dimension ref="A1" />``); an empty ``sheetData`` is closed in
    place by lxml. Both forms are read.
    """
    found = _DIMENSION.search(sheet)
    if found is None:
        raise ValueError("the sheet openpyxl wrote has no dimension")
    sheet = b"".join([sheet[: found.start(1)], dimension.encode("ascii"), sheet[found.end(1) :]])
    if sheet.count(b"</sheetData>") == 1:
        end_of_data = sheet.index(b"</sheetData>")
        return b"".join([sheet[:end_of_data], rows, sheet[end_of_data:]])
    empty = _EMPTY_DATA.search(sheet)
    if empty is None:
        raise ValueError("the sheet openpyxl wrote has no sheetData")
    return b"".join(
        [sheet[: empty.start()], b"<sheetData>", rows, b"</sheetData>", sheet[empty.end() :]]
    )


_DIMENSION = re.compile(rb'<dimension ref="([^"]*)"')
_EMPTY_DATA = re.compile(rb"<sheetData\s*/>")
