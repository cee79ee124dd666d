"""What a workbook holds, as text to compare or digest: every sheet's settings and every
cell's value and style, read back by openpyxl (issue 30: the action plan's workbook is
written faster, and must hold what it held).

The bytes of a workbook are no measure of it: the zip records when each part was
written, and ``docProps/core.xml`` when the workbook was made. So the
comparison is of what a spreadsheet shows and keeps, read the way a user's
spreadsheet reads it.

``python tests/xlsx_content.py BEFORE.xlsx AFTER.xlsx`` compares two workbooks and says
where the first difference is (exit 1), or that they hold the same (exit 0); it also
says whether every part of the zip but the made and modified times is byte for byte
the same.
"""

from __future__ import annotations

import io
import re
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

__all__ = ["parts_equal", "workbook_content"]


def workbook_content(data: bytes) -> str:
    """Every sheet's settings and every cell's value, type and style, one a line."""
    return "\n".join(_lines(data)) + "\n"


def _lines(data: bytes) -> Iterator[str]:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data))
    yield f"title {book.properties.title!r} sheets {book.sheetnames!r}"
    for sheet in book.worksheets:
        yield from _sheet_settings(sheet)
        for row in sheet.iter_rows():
            for cell in row:
                yield (
                    f"{cell.coordinate} {cell.data_type} {cell.value!r} | "
                    f"{_style(cell.font)} | {_style(cell.fill)} | {_style(cell.alignment)} | "
                    f"{_style(cell.border)} | {cell.number_format!r} | {_style(cell.protection)}"
                )


def _sheet_settings(sheet: Any) -> Iterator[str]:
    yield f"sheet {sheet.title!r} dimensions {sheet.dimensions} freeze {sheet.freeze_panes}"
    yield f"  filter {sheet.auto_filter.ref!r}"
    for letter, column in sorted(sheet.column_dimensions.items()):
        yield f"  column {letter} {column.min}-{column.max} width {column.width!r}"
    for rule in sheet.data_validations.dataValidation:
        yield (
            f"  validation {rule.sqref} {rule.type} {rule.formula1!r} blank {rule.allow_blank} "
            f"drop-down {rule.showDropDown}"
        )
    yield f"  rows with a height {sorted(k for k, d in sheet.row_dimensions.items() if d.ht)}"


def _style(part: Any) -> str:
    """A style part (font, fill, ...) as its XML: every attribute it sets, in order."""
    from openpyxl.xml.functions import tostring

    # ElementTree writes " />" where lxml writes "/>": the same XML, one form.
    return str(tostring(part.to_tree()).decode("utf-8")).replace(" />", "/>")


_CREATED = re.compile(rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>")


def parts_equal(before: bytes, after: bytes) -> list[str]:
    """The parts of two workbooks' zips that differ (the times they were made left out)."""
    with zipfile.ZipFile(io.BytesIO(before)) as a, zipfile.ZipFile(io.BytesIO(after)) as b:
        if a.namelist() != b.namelist():
            return [f"parts {a.namelist()} against {b.namelist()}"]
        return [
            name
            for name in a.namelist()
            if _CREATED.sub(b"", a.read(name)) != _CREATED.sub(b"", b.read(name))
        ]


def main(before: Path, after: Path) -> int:
    old, new = before.read_bytes(), after.read_bytes()
    differ = parts_equal(old, new)
    print(f"zip parts differing (times left out): {differ or 'none'}")
    for number, (a, b) in enumerate(zip(_lines(old), _lines(new), strict=False), start=1):
        if a != b:
            print(f"line {number} differs:\n  before: {a[:300]}\n  after:  {b[:300]}")
            return 1
    if workbook_content(old) != workbook_content(new):
        print("one workbook holds more than the other")
        return 1
    print(f"the same content: {workbook_content(old).count(chr(10))} lines")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(Path(sys.argv[1]), Path(sys.argv[2])))
