"""The rows of the plan's workbook, written as XML text, are what openpyxl writes for the
same cells, byte for byte, whatever the text holds (issue 30, part 2)."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest

from journeygraph.report.xlsx_rows import Cell, rows_xml, with_rows
from journeygraph.tabular import xlsx_cell

openpyxl = pytest.importorskip("openpyxl")

TEXTS = [
    "plain",
    '=HYPERLINK("http://x")',
    "a & b < c > d \"quoted\" 'single'",
    " leading and trailing ",
    "\ttab\nnew line\r\nreturn",
    "nbsp\xa0",
    "\x85next line",
    "é → ✓ 😀 \u202eright-to-left\u200f",
    "\x7f\x80\x9f",
    "\x00\x1b[2J\ud800\ufffe\uffff",
    "_x0041_ and _x005F_",
    "]]> <![CDATA[",
    "",
]
NUMBERS: list[Cell] = [0, 1, -7, 29_580, 10**15, 10**17, 2.5, 1 / 3, None]


def _openpyxl_sheet(rows: list[list[Cell]], styled: bool) -> bytes:
    """The sheet's part as openpyxl writes these cells, made as the plan's cells were."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import Cell as OpenpyxlCell
    from openpyxl.styles import Alignment
    from openpyxl.styles.cell_style import StyleArray

    book: Any = Workbook()
    sheet: Any = book.active
    style = StyleArray()
    if styled:
        style.alignmentId = book._alignments.add(Alignment(wrap_text=True, vertical="top"))
    sheet.append(["header"])
    for number, row in enumerate(rows, start=2):
        for col, value in enumerate(row, start=1):
            cell: Any = OpenpyxlCell(sheet, row=number, column=col, style_array=style)
            if isinstance(value, str):
                cell._value, cell.data_type = value, "s"
            elif value is not None:
                cell.value = value
            sheet._cells[(number, col)] = cell
    out = io.BytesIO()
    book.save(out)
    with zipfile.ZipFile(out) as z:
        return z.read("xl/worksheets/sheet1.xml")


def _spliced_sheet(rows: list[list[Cell]], styled: bool) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment
    from openpyxl.styles.cell_style import StyleArray

    book: Any = Workbook()
    sheet: Any = book.active
    style = StyleArray()
    if styled:
        style.alignmentId = book._alignments.add(Alignment(wrap_text=True, vertical="top"))
    sheet.append(["header"])
    index = book._cell_styles.add(style)
    width = max((len(r) for r in rows), default=1)
    letter = openpyxl.utils.get_column_letter(width)
    out = io.BytesIO()
    book.save(out)
    part = "xl/worksheets/sheet1.xml"
    ref = f"A1:{letter}{len(rows) + 1}"
    xml = rows_xml(rows, [[index] * len(r) for r in rows])
    with zipfile.ZipFile(io.BytesIO(with_rows(out.getvalue(), {part: (ref, xml)}))) as z:
        return z.read(part)


def _again_with_lxml(test: str) -> bool:
    """Whether this process's openpyxl writes through ElementTree (as journeygraph has it
    write in every process: `journeygraph.extras`), having run ``test`` again in one that
    writes through lxml (openpyxl's own switch), whose form the rows take: the
    comparison holds for that form."""
    import os
    import subprocess
    import sys

    from openpyxl.xml import LXML

    if LXML:
        return False
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"{__file__}::{test}"],
        capture_output=True,
        text=True,
        env={**os.environ, "OPENPYXL_LXML": "True"},
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:]
    return True


@pytest.mark.parametrize("styled", [True, False], ids=["styled", "plain"])
def test_the_rows_are_those_openpyxl_writes(styled: bool) -> None:
    if _again_with_lxml(
        f"test_the_rows_are_those_openpyxl_writes[{'styled' if styled else 'plain'}]"
    ):
        return
    texts: list[Cell] = [xlsx_cell(t) for t in TEXTS]  # type: ignore[misc]
    rows = [texts[i : i + 4] for i in range(0, len(texts), 4)] + [NUMBERS, [None, ""]]
    assert _spliced_sheet(rows, styled) == _openpyxl_sheet(rows, styled)


def test_a_sheet_without_rows_keeps_its_header_alone() -> None:
    if _again_with_lxml("test_a_sheet_without_rows_keeps_its_header_alone"):
        return
    assert _spliced_sheet([], styled=True) == _openpyxl_sheet([], styled=True)


def test_a_cell_of_another_kind_is_refused() -> None:
    with pytest.raises(TypeError, match="a number"):
        rows_xml([[float("nan")]], [[0]])


def test_the_rows_go_into_a_workbook_openpyxl_wrote_without_lxml(tmp_path: Any) -> None:
    """The `xlsx` extra does not bring lxml: openpyxl then writes through ElementTree
    (``<dimension ref="A1" />``, a space before the slash), and the plan is written all
    the same, with the cells it holds (a test that hides lxml made openpyxl do so)."""
    import subprocess
    import sys

    out = tmp_path / "plan.xlsx"
    code = (
        "import sys\n"
        "from openpyxl.xml import LXML\n"
        "assert not LXML\n"
        "from journeygraph.cli import main\n"
        f"sys.argv = ['journeygraph', 'actions', 'examples/b2b-saas.yaml', '-o', {str(out)!r}]\n"
        "main()\n"
    )
    env = {**__import__("os").environ, "OPENPYXL_LXML": "False"}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 0, done.stderr
    from openpyxl import load_workbook

    book = load_workbook(out)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert len(rows) > 2
    assert all(len(r) == len(rows[0]) for r in rows)
    from openpyxl.utils import get_column_letter

    last = f"{get_column_letter(len(rows[0]))}{len(rows)}"
    assert book.worksheets[0].dimensions == f"A1:{last}"


def test_every_character_a_cell_escapes_is_one_isprintable_refuses() -> None:
    # xlsx_cell returns a printable text without "_x" as it is: that holds only if no
    # character the pattern escapes is printable.
    from journeygraph import tabular

    for code in range(0x110000):
        if tabular._XML_ILLEGAL.match(chr(code)):
            assert not chr(code).isprintable(), hex(code)


@pytest.mark.parametrize(
    "text", ["plain", "a_x0041_b", "tab\there", "é → ü", "x" * 32_767, "\ufffe", "_x", "_X0041_"]
)
def test_the_shortcut_of_a_cell_gives_what_the_escapes_give(text: str) -> None:
    from journeygraph import tabular

    escaped = tabular._XML_ILLEGAL.sub(
        lambda m: f"_x{ord(m.group()):04X}_", tabular._ESCAPE_START.sub("_x005F_", text)
    )
    assert xlsx_cell(text) == escaped
    with pytest.raises(tabular.CellTooLongError):
        xlsx_cell(text + "y" * 32_768)


def _plans() -> list[Any]:
    """Plans of every kind of cell: the examples' (reach from the map's volumes, none),
    one of text that needs escaping, one whose details are cut, an empty one."""
    import journeygraph
    from journeygraph.actions import Action, action_plan
    from journeygraph.severity import Severity
    from tests.conftest import EXAMPLES, ROOT

    plans = []
    for path in (EXAMPLES / "b2b-saas.yaml", ROOT / "tests/fixtures/dense-300.yaml"):
        m = journeygraph.load(path)
        plans.append(action_plan(m, journeygraph.audit(m)))
    hostile = [t for t in TEXTS if isinstance(t, str)]
    odd = [
        Action(key=(str(i),), title=t, owner=t, severity=Severity.LOW, details=[t, "x"])
        for i, t in enumerate(hostile)
    ]
    odd[0].reach, odd[0].owner_reason, odd[1].status = 7, " a reason ", "=1+1"
    many = [f"At 'Touchpoint {i}', the Accountable shares nothing." for i in range(3000)]
    odd.append(Action(key=("m",), title="Many", owner="o", severity=Severity.HIGH, details=many))
    for priority, a in enumerate(odd, start=1):
        a.priority = priority
    return [*plans, odd, []]


def test_the_plan_s_rows_are_rows_xml_of_its_cells() -> None:
    """The plan's sheet, written a row at a time, against `rows_xml` (which the tests
    above hold to openpyxl's writer) of each action's `to_dict` made safe cell by cell."""
    from journeygraph.report.actions_format import COLUMNS, _cut_details, _rows_xml
    from journeygraph.tabular import CellTooLongError

    def cell(value: Any) -> Cell:
        return value if value is None or isinstance(value, int) else xlsx_cell(value)  # type: ignore[return-value]

    for plan in _plans():
        rows: list[list[Cell]] = []
        cut = []
        for a in plan:
            row = a.to_dict()
            try:
                details = cell(row["details"])
            except CellTooLongError:
                details = _cut_details(a.details)
                cut.append(a)
            rows.append([details if c == "details" else cell(row[c]) for c in COLUMNS])
        for kind in (3, 0):
            styles: list[tuple[int, ...]] = [(kind,) * 11] * len(plan)
            styles[1::2] = [tuple(range(11))] * len(styles[1::2])
            assert _rows_xml(plan, styles) == (rows_xml(rows, styles), cut)
    assert any(a.reach is None for a in _plans()[1]), "a plan with actions without reach"
