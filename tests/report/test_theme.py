"""``--theme theme.yaml``: one theme read back from every output, and a bad one located.

Each output is read as its reader sees it: the HTML's CSS, the SVG's attributes, the
slides with python-pptx, the workbook with openpyxl, the PDF's fonts with pdffonts.
"""

from __future__ import annotations

import functools
import re
import subprocess
from pathlib import Path

import openpyxl
import pytest
from PIL import Image
from pptx import Presentation
from typer.testing import CliRunner

from journeygraph.cli import ExitCode, app
from journeygraph.io.theme import load_theme
from journeygraph.report.actions_format import COLUMNS
from journeygraph.theme import DEFAULT_THEME, Theme
from tests.conftest import EXAMPLES

MORTGAGE = EXAMPLES / "mortgage.yaml"
HIGH, MEDIUM, LOW, INFO = "#8b0000", "#6a1b9a", "#00008b", "#444444"
R_COLOUR = "#004d40"
FONT = "DejaVu Serif"
HOSTILE = "Confidential </p><script>alert(1)</script> {}; \" '"
THEME = f"""\
severity:
  high: "{HIGH}"
  medium: "{MEDIUM}"
  low: "{LOW}"
  info: "{INFO}"
raci:
  R: "{R_COLOUR}"
fonts: ["{FONT}", serif]
logo: brand/logo.png
cover:
  title: Acme mortgage review
  text: '{HOSTILE.replace("'", "''")}'
"""


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout + result.stderr


@functools.cache
def _theme_folder(root: Path) -> Path:
    (root / "brand").mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (240, 80), (0, 77, 64)).save(root / "brand" / "logo.png")
    (root / "theme.yaml").write_text(THEME, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def themed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _theme_folder(tmp_path_factory.mktemp("theme"))


def test_the_theme_file_reads_with_its_logo_beside_it(themed: Path) -> None:
    theme = load_theme(themed / "theme.yaml")
    assert theme.severity.high == HIGH
    assert theme.raci.R == R_COLOUR
    assert theme.raci.A == DEFAULT_THEME.raci.A, "what the file leaves out is the default's"
    assert theme.logo == themed / "brand" / "logo.png"
    assert theme.cover.text == HOSTILE
    assert theme.chosen("fonts")
    assert not Theme().chosen("fonts")


@pytest.mark.parametrize(
    ("text", "bad", "message"),
    [
        ("severity:\n  high: red\n", "red", "'high' must be a colour written '#rrggbb'"),
        ("severity:\n  high: '#12345'\n", "'#12345'", "six hexadecimal digits"),
        ("severity:\n  high: #c62828\n", " #c62828", "unquoted, # starts a comment"),
        ("raci: {R: '#000000', X: '#ffffff'}\n", "X:", "unknown key 'X'"),
        ("fonts: [Arial, 'a\"}</style>']\n", "'a", "must be a font's name"),
        ("fonts: []\n", "[]", "'fonts' must not be empty"),
        ("logo: missing.png\n", "missing.png", "no such file"),
        ("logo: theme.yaml\n", "theme.yaml", "must be a .png, .jpg or .svg file"),
        ("- high\n", "- high", "a theme must be a mapping"),
    ],
)
def test_a_bad_theme_is_one_located_message(
    tmp_path: Path, text: str, bad: str, message: str
) -> None:
    theme = tmp_path / "theme.yaml"
    theme.write_text(text, encoding="utf-8")
    code, out = run("render", str(MORTGAGE), "-o", str(tmp_path / "f.dot"), "--theme", str(theme))
    assert code == ExitCode.ERROR, out
    # Where the wrong value is written: its line, its first character.
    line = next(i for i, row in enumerate(text.splitlines(), 1) if bad in row)
    column = text.splitlines()[line - 1].index(bad) + 1
    assert re.search(rf"theme\.yaml:{line}:{column}: .*{re.escape(message)}", out), out
    assert "Traceback" not in out
    assert not (tmp_path / "f.dot").exists()


def test_without_a_theme_the_report_is_as_before(tmp_path: Path) -> None:
    code, out = run("report", str(MORTGAGE), "-o", str(tmp_path / "r"))
    assert code == ExitCode.OK, out
    html = (tmp_path / "r" / "report.html").read_text(encoding="utf-8")
    # The values every output had before themes, written here rather than read from the
    # theme: the default theme is checked, not restated.
    assert "--high:#c62828; --medium:#ef6c00; --low:#1565c0; --info:#607d8b;" in html
    assert "font:15px/1.5 Helvetica, Arial, sans-serif;" in html
    assert ".matrix td.R { background:#0d47a1;" in html
    canvas = (tmp_path / "r" / "mortgage-canvas.svg").read_text(encoding="utf-8")
    assert "font-family=\"Helvetica, Arial, 'Liberation Sans', 'DejaVu Sans', sans-serif\"" in (
        canvas
    )


@pytest.mark.graphviz
def test_the_report_and_its_drawings_carry_the_theme(themed: Path, tmp_path: Path) -> None:
    out = tmp_path / "r"
    code, said = run("report", str(MORTGAGE), "-o", str(out), "--theme", str(themed / "theme.yaml"))
    assert code == ExitCode.OK, said
    html = (out / "report.html").read_text(encoding="utf-8")
    css = html[html.index("<style>") : html.index("</style>")]
    assert f"--high:{HIGH}; --medium:{MEDIUM}; --low:{LOW}; --info:{INFO};" in css
    assert f"font:15px/1.5 '{FONT}', serif;" in css
    assert f".matrix td.R {{ background:{R_COLOUR};" in css
    # The cover: the theme's title, its logo embedded, its text as text.
    assert "<h1>Acme mortgage review</h1>" in html
    assert 'src="data:image/png;base64,' in html
    assert "Confidential &lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html
    # The Graphviz drawings: the theme's colours and fonts, none of the default's.
    flow = (out / "mortgage-flow-1.svg").read_text(encoding="utf-8")
    assert HIGH in flow
    assert DEFAULT_THEME.severity.high not in flow
    assert f'font-family="{FONT},serif"' in flow
    matrix = (out / "mortgage-matrix.svg").read_text(encoding="utf-8")
    assert f'fill="{R_COLOUR}"' in matrix
    assert DEFAULT_THEME.raci.R not in matrix
    canvas = (out / "mortgage-canvas.svg").read_text(encoding="utf-8")
    assert f"font-family=\"'{FONT}', 'Liberation Sans', 'DejaVu Sans', serif\"" in canvas
    # The legends name the colours as drawn: medium findings are purple here.
    assert "coloured by severity (red high, purple medium, blue low, grey info)" in canvas
    key = (out / "mortgage-flow-1-key.svg").read_text(encoding="utf-8")
    assert "purple box" in key
    assert "orange" not in key
    emotion = (out / "mortgage-emotion.svg").read_text(encoding="utf-8")
    assert HIGH in emotion, "the pain points' markers"
    assert DEFAULT_THEME.severity.high not in emotion
    markers = re.findall(r'<rect [^>]*rx="3.5" fill="(#[0-9a-f]{6})"', canvas)
    assert markers
    assert set(markers) <= {HIGH, MEDIUM, LOW, INFO}


@pytest.mark.graphviz
@pytest.mark.parametrize("view", ["flow", "blueprint", "handoffs", "matrix", "canvas"])
def test_render_draws_in_the_theme(themed: Path, tmp_path: Path, view: str) -> None:
    svg = tmp_path / f"{view}.svg"
    code, out = run(
        "render",
        str(MORTGAGE),
        "--view",
        view,
        "-o",
        str(svg),
        "--theme",
        str(themed / "theme.yaml"),
    )
    assert code == ExitCode.OK, out
    text = svg.read_text(encoding="utf-8")
    assert HIGH in text
    assert DEFAULT_THEME.severity.high not in text
    assert FONT in text
    assert "Helvetica" not in text


@pytest.mark.graphviz
def test_the_slides_carry_the_theme(themed: Path, tmp_path: Path) -> None:
    out = tmp_path / "r"
    code, said = run(
        "report", str(MORTGAGE), "-o", str(out), "--pptx", "--theme", str(themed / "theme.yaml")
    )
    assert code == ExitCode.OK, said
    deck = Presentation(str(out / "report.pptx"))
    runs = [
        run
        for slide in deck.slides
        for shape in slide.shapes
        for frame in (
            [c.text_frame for row in shape.table.rows for c in row.cells]
            if shape.has_table
            else [shape.text_frame]
            if shape.has_text_frame
            else []
        )
        for p in frame.paragraphs
        for run in p.runs
    ]
    assert runs
    assert {run.font.name for run in runs} == {FONT}
    colours = {
        (cell.text, str(run.font.color.rgb))
        for slide in deck.slides
        if ": action plan" in slide.shapes.title.text
        for shape in slide.shapes
        if shape.has_table
        for row in list(shape.table.rows)[1:]
        for cell in [row.cells[3]]
        for run in cell.text_frame.paragraphs[0].runs
    }
    want = {"high": HIGH, "medium": MEDIUM, "low": LOW, "info": INFO}
    assert colours
    assert all(rgb == want[s][1:].upper() for s, rgb in colours)
    cover = deck.slides[0]
    assert cover.shapes.title.text == "Acme mortgage review"
    assert [s for s in cover.shapes if s.shape_type == 13], "the logo"
    assert HOSTILE in " ".join(s.text_frame.text for s in cover.shapes if s.has_text_frame)


def test_the_workbook_carries_the_theme(themed: Path, tmp_path: Path) -> None:
    book = tmp_path / "plan.xlsx"
    code, out = run(
        "actions", str(MORTGAGE), "-o", str(book), "--theme", str(themed / "theme.yaml")
    )
    assert code == ExitCode.OK, out
    sheet = openpyxl.load_workbook(book).active
    assert sheet is not None
    column = COLUMNS.index("severity") + 1
    want = {"high": HIGH, "medium": MEDIUM, "low": LOW, "info": INFO}
    rows = list(sheet.iter_rows(min_row=2))
    assert rows
    for row in rows:
        cell = row[column - 1]
        assert cell.font.color.rgb == "00" + want[str(cell.value)][1:].upper()
        assert {c.font.name for c in row} == {FONT}
    assert sheet.cell(1, 1).font.name == FONT


def test_a_theme_without_fonts_leaves_the_workbooks_fonts(tmp_path: Path) -> None:
    theme = tmp_path / "theme.yaml"
    theme.write_text("cover:\n  text: Prepared for the board\n", encoding="utf-8")
    book = tmp_path / "plan.xlsx"
    code, out = run("actions", str(MORTGAGE), "-o", str(book), "--theme", str(theme))
    assert code == ExitCode.OK, out
    sheet = openpyxl.load_workbook(book).active
    assert sheet is not None
    assert sheet.cell(1, 1).font.bold  # the header as without a theme
    assert sheet.cell(1, 1).font.color.rgb == "00FFFFFF"


def test_the_theme_goes_with_a_workbook_only(themed: Path) -> None:
    code, out = run("actions", str(MORTGAGE), "--theme", str(themed / "theme.yaml"))
    assert code == ExitCode.ERROR
    assert "--theme goes with a workbook" in out


@pytest.mark.browser
def test_the_pdf_is_set_in_the_themes_font(themed: Path, tmp_path: Path) -> None:
    out = tmp_path / "r"
    code, said = run(
        "report", str(MORTGAGE), "-o", str(out), "--pdf", "--theme", str(themed / "theme.yaml")
    )
    assert code == ExitCode.OK, said
    fonts = subprocess.run(
        ["pdffonts", str(out / "report.pdf")], capture_output=True, text=True, check=True
    ).stdout
    names = [line.split()[0].split("+")[-1] for line in fonts.splitlines()[2:]]
    assert "DejaVuSerif" in names
    assert not [n for n in names if n.startswith(("Helvetica", "LiberationSans", "Arial"))]


def test_a_font_name_never_becomes_css() -> None:
    # Past the model's own check (built without validation): the CSS still holds each
    # name as one quoted string, every character but a letter, digit or space escaped.
    hostile = "x'; } body { background: url(evil) } </style><script>a()</script> \" \\"
    css = Theme.model_construct(fonts=[hostile, "Source Sans 3", "serif"]).css_fonts()
    first, rest = css[: css.index("', ") + 1], css[css.index("', ") + 3 :]
    assert rest == "'Source Sans 3', serif"
    assert re.fullmatch(r"'[A-Za-z0-9 \\]*'", first), first
    assert not set('<>;{}"()') & set(css)


@pytest.mark.parametrize("command", ["report", "actions"])
def test_a_bad_theme_stops_the_report_and_the_workbook(tmp_path: Path, command: str) -> None:
    theme = tmp_path / "theme.yaml"
    theme.write_text("fonts: [Arial]\nraci:\n  A: '#fff'\n", encoding="utf-8")
    out = tmp_path / ("r" if command == "report" else "plan.xlsx")
    code, said = run(command, str(MORTGAGE), "-o", str(out), "--theme", str(theme))
    assert code == ExitCode.ERROR, said
    assert re.search(r"theme\.yaml:3:6: 'A' must be a colour written '#rrggbb'", said), said
    assert not out.exists()


def test_no_output_replaces_the_themes_logo_even_with_force(themed: Path) -> None:
    theme = themed / "theme.yaml"
    logo = themed / "brand" / "logo.png"
    before = logo.read_bytes()
    for command, target in (
        (["render", str(MORTGAGE), "--view", "flow"], logo),  # the logo itself
        (["report", str(MORTGAGE)], logo.parent),  # the folder that holds it
    ):
        code, out = run(*command, "--theme", str(theme), "-o", str(target), "--force")
        assert code == ExitCode.ERROR, out
        assert "input of this command" in out, out
        assert logo.read_bytes() == before
