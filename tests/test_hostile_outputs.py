"""Every CSV, Markdown and JSON output, fed names a user could write to cause harm.

Names in maps and logs can hold any text. The outputs are read back here the
way their readers read them, independently of journeygraph's own escapers:

- CSV as a spreadsheet splits it (a row ends at any unquoted CR or LF), and no
  cell may start as a formula;
- Markdown rendered by a CommonMark parser (markdown-it, as code hosts and
  editors do): no tag or attribute that journeygraph did not mean;
- every output free of raw control characters and direction marks.
"""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import hypothesis
import pytest
import yaml
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from journeygraph.cli import ExitCode, app
from tests.conftest import EXAMPLES

runner = CliRunner()

# One name per kind of harm; the map's names take them in turn.
HOSTILE = [
    "<img src=x onerror=alert(1)>",
    "x](http://evil.example/t.png)",
    "=1+1",
    '\r=HYPERLINK("http://evil.example")',
    "line\nbreak\r\n=2+2",
    "esc \x1b[2J bel \x07 rlo \u202e end",
    "# heading *em* _u_ `code` | pipe",
    "[click](javascript:alert(1))",
    "- list\n1. item\n> quote",
    "@SUM(A1) +3 -4",
    "<script>alert(1)</script>",
    "![pic](http://evil.example/p.png)",
    "line\u2028sep\x85nel\x0bvt\x0cff \u200bzw \ufeffbom \U000e0041tag",
    "cost $5 \\undefinedmacro{ $ and $\\frac{1}{",  # mathtext in matplotlib's charts
    "emoji \U0001f600 cjk \u65e5\u672c",  # glyphs a font may lack
]
# Raw controls and direction marks that must never reach a reader.
RAW = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
    "\u200b\u2028\u2029\ufeff\U000e0000-\U000e007f]"
)
FORMULA = ("=", "+", "-", "@", "\t", "\r", "\n")


def hostile_map(tmp_path: Path, example: str = "b2b-saas.yaml") -> Path:
    """An example (the B2B one unless named) with every name (journey, stages,
    touchpoints, functions, departments, personas) replaced by hostile text, ids kept."""
    data = yaml.safe_load((EXAMPLES / example).read_text(encoding="utf-8"))
    names = iter(HOSTILE * 100)
    data["journey"]["name"] = next(names)
    for section in ("stages", "touchpoints", "functions", "departments", "personas"):
        for i, entity in enumerate(data.get(section) or []):
            entity["name"] = f"{next(names)} {i}"
    out = tmp_path / "hostile.yaml"
    out.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return out


def hostile_before(tmp_path: Path) -> Path:
    """The hostile map before a change: every touchpoint owned, so that the
    change brings findings that name hostile touchpoints and functions."""
    data = yaml.safe_load(hostile_map(tmp_path).read_text(encoding="utf-8"))
    data["touchpoints"] = data["touchpoints"][:-3]
    for t in data["touchpoints"]:
        t["next"] = [
            n
            for n in t.get("next") or []
            if (n["to"] if isinstance(n, dict) else n) in {u["id"] for u in data["touchpoints"]}
        ]
    out = tmp_path / "hostile-before.yaml"
    out.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return out


def hostile_log(tmp_path: Path) -> Path:
    """A small event log whose touchpoint names are hostile."""
    rows = [["case_id", "touchpoint", "timestamp"]]
    for case in range(6):
        for step, name in enumerate(HOSTILE[case % 4 : case % 4 + 6]):
            rows.append([f"c{case}", name, f"2026-01-0{1 + step}T10:00:00"])
    out = tmp_path / "hostile.csv"
    with out.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return out


def spreadsheet_rows(text: str) -> list[list[str]]:
    """CSV split as a spreadsheet app does: a row ends at any CR or LF outside quotes."""
    rows: list[list[str]] = []
    row: list[str] = []
    field: list[str] = []
    quoted = False
    i = 0
    while i < len(text):
        c = text[i]
        if quoted:
            if c == '"' and text[i + 1 : i + 2] == '"':
                field.append('"')
                i += 1
            elif c == '"':
                quoted = False
            else:
                field.append(c)
        elif c == '"' and not field:
            quoted = True
        elif c == ",":
            row.append("".join(field))
            field = []
        elif c in "\r\n":
            row.append("".join(field))
            rows.append(row)
            row, field = [], []
            if c == "\r" and text[i + 1 : i + 2] == "\n":
                i += 1
        else:
            field.append(c)
        i += 1
    if field or row:
        row.append("".join(field))
        rows.append(row)
    return rows


def check_csv(text: str) -> None:
    rows = spreadsheet_rows(text)
    assert rows, "no rows"
    widths = {len(r) for r in rows}
    assert len(widths) == 1, f"rows of {sorted(widths)} cells: a line break ended a row"
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA), f"a cell a spreadsheet runs: {cell!r}"
    # Python's reader agrees with the spreadsheet's split.
    assert list(csv.reader(io.StringIO(text, newline=""))) == rows


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


ALLOWED_TAGS = {
    *("p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "em", "strong", "code"),
    *("table", "thead", "tbody", "tr", "th", "td", "img", "br", "hr", "pre", "blockquote"),
}


def check_markdown(text: str) -> None:
    """Markdown as a code host renders it: only the tags journeygraph means."""
    assert not RAW.search(text), f"raw control: {RAW.findall(text)!r}"
    html = MarkdownIt("commonmark").enable("table").render(text)
    parser = _Tags()
    parser.feed(html)
    for tag, attrs in parser.tags:
        assert tag in ALLOWED_TAGS, f"<{tag}> from a name: {html[:2000]}"
        for key, given in attrs:
            value = given or ""
            if tag == "img" and key == "src":
                assert re.fullmatch(r"[\w.-]+\.(svg|png)", value), value
            elif tag == "img" and key == "alt":
                continue
            elif tag in ("th", "td") and key == "style":
                assert re.fullmatch(r"text-align:(left|right|center)", value)
            elif tag == "ol" and key == "start":
                assert value.isdigit()
            else:
                pytest.fail(f'<{tag} {key}="{value}"> from a name')
    # A name never starts a heading, a list item or a quote of its own.
    for fragment in ("heading *em*", "item", "quote"):
        for tag in ("<h1>", "<h2>", "<h3>", "<h4>", "<li>", "<blockquote>"):
            assert tag + fragment not in html.replace("\n", "")


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def no_raw(*texts: str) -> None:
    for text in texts:
        assert not RAW.search(text), f"raw control: {sorted(set(RAW.findall(text)))!r}"


@pytest.mark.parametrize(
    "args",
    [
        ["audit", "MAP", "-f", "csv", "--fail-on", "never"],
        ["actions", "MAP", "-f", "csv"],
        ["matrix", "MAP", "-f", "csv"],
        ["discover", "LOG", "-f", "csv", "--fail-on", "never"],
        ["discover", "LOG", "--map", "MAP", "-f", "csv", "--fail-on", "never"],
    ],
)
def test_csv_outputs_read_as_written_in_a_spreadsheet(args: list[str], tmp_path: Path) -> None:
    swap = {"MAP": str(hostile_map(tmp_path)), "LOG": str(hostile_log(tmp_path))}
    code, out, err = run(*(swap.get(a, a) for a in args))
    assert code in (ExitCode.OK, ExitCode.FINDINGS), err
    check_csv(out)
    no_raw(err)


def test_csv_folders_read_as_written_in_a_spreadsheet(tmp_path: Path) -> None:
    path = hostile_map(tmp_path)
    log = hostile_log(tmp_path)
    code, _, err = run("export", str(path), "-o", str(tmp_path / "csv"))
    assert code == ExitCode.OK, err
    code, _, err = run(
        "discover", str(log), "--map", str(path), "--fail-on", "never", "-o", str(tmp_path / "t")
    )
    assert code == ExitCode.OK, err
    files = [*(tmp_path / "csv").glob("*.csv"), *(tmp_path / "t").glob("*.csv")]
    assert len(files) > 10
    for file in files:
        check_csv(file.read_text(encoding="utf-8"))
    # And the folder reads back as the same map.
    code, _, err = run("import", str(tmp_path / "csv"), "-o", str(tmp_path / "back.yaml"))
    assert code == ExitCode.OK, err
    original = yaml.safe_load(path.read_text(encoding="utf-8"))
    back = yaml.safe_load((tmp_path / "back.yaml").read_text(encoding="utf-8"))
    assert [s["name"] for s in back["stages"]] == [s["name"] for s in original["stages"]]
    assert back["journey"]["name"] == original["journey"]["name"]


@pytest.mark.parametrize(
    "args",
    [
        ["actions", "MAP", "-f", "markdown"],
        ["actions", "MAP", "--log", "LOG", "-f", "markdown"],
        ["diff", "BEFORE", "MAP", "-f", "markdown", "--fail-on", "never"],
        ["diff", "MAP", "BEFORE", "-f", "markdown", "--fail-on", "never"],
        ["whatif", "BEFORE", "--to-be", "MAP", "-f", "markdown"],
    ],
)
def test_markdown_outputs_hold_no_markup_from_names(args: list[str], tmp_path: Path) -> None:
    swap = {
        "MAP": str(hostile_map(tmp_path)),
        "BEFORE": str(hostile_before(tmp_path)),
        "LOG": str(EXAMPLES / "b2b-saas-events.csv"),
    }
    code, out, err = run(*(swap.get(a, a) for a in args))
    assert code in (ExitCode.OK, ExitCode.FINDINGS), err
    assert "onerror" in out or "evil" in out or "heading" in out  # the names are there
    check_markdown(out)
    no_raw(err)


@pytest.mark.parametrize("example", ["b2b-saas.yaml", "mortgage.yaml"])
def test_the_report_markdown_holds_no_markup_from_names(example: str, tmp_path: Path) -> None:
    # The B2B example with its log; the mortgage one has personas and an emotion curve.
    path = hostile_map(tmp_path, example)
    out = tmp_path / "report"
    log = ["--log", str(EXAMPLES / "b2b-saas-events.csv")] if example == "b2b-saas.yaml" else []
    code, stdout, err = run("report", str(path), *log, "-o", str(out))
    assert code == ExitCode.OK, err
    no_raw(stdout, err)
    assert "Glyph" not in err
    text = (out / "report.md").read_text(encoding="utf-8")
    # The HTML too: its names escaped as markup, and no control character left raw.
    no_raw((out / "report.html").read_text(encoding="utf-8"))
    if log:
        assert "part 1 of" in text  # the flow in parts, each headed with stage names
    else:
        assert "Emotion curve" in text
    check_markdown(text)


@pytest.mark.parametrize(
    "args",
    [
        ["audit", "MAP", "-f", "json", "--fail-on", "never"],
        ["audit", "MAP", "-f", "sarif", "--fail-on", "never"],
        ["actions", "MAP", "-f", "json"],
        ["matrix", "MAP", "-f", "json"],
        ["diff", "BEFORE", "MAP", "-f", "json", "--fail-on", "never"],
        ["discover", "LOG", "-f", "json", "--fail-on", "never"],
    ],
)
def test_json_outputs_escape_what_a_terminal_obeys(args: list[str], tmp_path: Path) -> None:
    swap = {
        "MAP": str(hostile_map(tmp_path)),
        "BEFORE": str(hostile_before(tmp_path)),
        "LOG": str(hostile_log(tmp_path)),
    }
    code, out, err = run(*(swap.get(a, a) for a in args))
    assert code in (ExitCode.OK, ExitCode.FINDINGS), err
    no_raw(out, err)
    data: Any = json.loads(out)  # still JSON, the names intact inside
    assert "\u202e" in json.dumps(data, ensure_ascii=False)


@pytest.mark.parametrize(
    "args",
    [
        ["audit", "MAP", "--fail-on", "never"],
        ["actions", "MAP"],
        ["matrix", "MAP"],
        ["whatif", "MAP"],
        ["whatif", "PLAIN", "--to-be", "MAP"],
        ["diff", "PLAIN", "MAP", "--fail-on", "never"],
        ["discover", "LOG", "--fail-on", "never"],
        ["discover", "LOG", "--map", "MAP", "--fail-on", "never"],
        ["validate", "MAP"],
    ],
)
def test_text_outputs_show_control_characters_escaped(args: list[str], tmp_path: Path) -> None:
    swap = {
        "MAP": str(hostile_map(tmp_path)),
        "PLAIN": str(EXAMPLES / "b2b-saas.yaml"),
        "LOG": str(hostile_log(tmp_path)),
    }
    code, out, err = run(*(swap.get(a, a) for a in args))
    assert code in (ExitCode.OK, ExitCode.FINDINGS), err
    no_raw(out, err)


def test_a_file_name_is_shown_escaped(tmp_path: Path) -> None:
    folder = tmp_path / "bad\nname\x07\x1b[2J"
    folder.mkdir()
    path = folder / "map.yaml"
    path.write_bytes((EXAMPLES / "b2b-saas.yaml").read_bytes())
    for args in (["audit", str(path), "--fail-on", "never"], ["validate", str(path)]):
        code, out, err = run(*args)
        assert code == ExitCode.OK, err
        no_raw(out, err)
        assert "\\x07" in out + err  # shown, not dropped
        assert "bad\nname" not in out + err


# Keys whose text values are never ids.
_NOT_IDS = {"name", "description", "reason", "text", "sla", "quote", "layer", "kind", "status"}


def _renamed(value: Any, ids: dict[str, str], key: str = "") -> Any:
    if isinstance(value, dict):
        return {k: _renamed(v, ids, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_renamed(v, ids, key) for v in value]
    if isinstance(value, str) and key not in _NOT_IDS:
        return ids.get(value, value)
    return value


def hostile_ids(tmp_path: Path, suffix: str) -> Path:
    """The B2B example with ``suffix`` added to every id and every name."""
    data = yaml.safe_load((EXAMPLES / "b2b-saas.yaml").read_text(encoding="utf-8"))
    ids = {
        e["id"]: e["id"] + suffix
        for section in ("stages", "touchpoints", "functions", "departments", "personas")
        for e in data.get(section) or []
    }
    data = _renamed(data, ids)
    for section in ("stages", "touchpoints", "functions", "departments", "personas"):
        for e in data.get(section) or []:
            e["name"] = e.get("name", e["id"]) + suffix
    out = tmp_path / "ids.yaml"
    out.write_text(yaml.safe_dump(data, allow_unicode=False), encoding="utf-8")
    return out


@pytest.mark.parametrize("suffix", ["\x00\ufffe", "\uffff\x1b[2J", '"\\N<>&\u202e'])
def test_every_view_draws_ids_and_names_that_xml_cannot_hold(suffix: str, tmp_path: Path) -> None:
    path = hostile_ids(tmp_path, suffix)
    assert run("validate", str(path))[0] == ExitCode.OK
    for view in ("flow", "blueprint", "handoffs", "matrix", "canvas"):
        out = tmp_path / f"{view}.svg"
        code, _, err = run("render", str(path), "--view", view, "-o", str(out))
        assert code == ExitCode.OK, err
        assert "\x00" not in out.read_text(encoding="utf-8")
    code, _, err = run(
        "report",
        str(path),
        "--log",
        str(EXAMPLES / "b2b-saas-events.csv"),
        "-o",
        str(tmp_path / "r"),
    )
    assert code == ExitCode.OK, err
    no_raw(err, (tmp_path / "r" / "report.md").read_text(encoding="utf-8"))


@pytest.mark.parametrize("example", ["b2b-saas.yaml", "mortgage.yaml"])
def test_the_canvas_draws_names_as_text(example: str, tmp_path: Path) -> None:
    from lxml import etree

    out = tmp_path / "canvas.svg"
    code, _, err = run(
        "render", str(hostile_map(tmp_path, example)), "--view", "canvas", "-o", str(out)
    )
    assert code == ExitCode.OK, err
    svg = out.read_text(encoding="utf-8")
    no_raw(svg)
    root = etree.fromstring(svg.encode("utf-8"))  # well-formed: every name is character data
    tags = {str(e.tag).rsplit("}", 1)[-1] for e in root.iter()}
    assert tags <= {"svg", "rect", "text", "title", "line", "polyline", "circle", "path", "g"}
    shown = "".join(str(t) for t in root.itertext())
    assert "<script>alert(1)</script>" in shown
    assert "\\x1b[2J" in shown


def test_the_slides_show_control_characters_and_direction_marks_escaped(tmp_path: Path) -> None:
    """Every text of the deck (titles, bodies, tables, notes) holds no raw control or
    direction mark: python-pptx writes a control as ``_x001B_``, which PowerPoint obeys
    again, and a right-to-left override reorders what the room reads."""
    import html
    import zipfile

    code, _, err = run(
        "report",
        str(hostile_map(tmp_path)),
        "--log",
        str(EXAMPLES / "b2b-saas-events.csv"),
        "--pptx",
        "-o",
        str(tmp_path / "r"),
    )
    assert code == ExitCode.OK, err
    with zipfile.ZipFile(tmp_path / "r" / "report.pptx") as deck:
        parts = [n for n in deck.namelist() if n.startswith("ppt/") and n.endswith(".xml")]
        # The text runs of every slide and note, as PowerPoint reads them.
        texts = [
            html.unescape(run)
            for n in parts
            for run in re.findall(r"<a:t>(.*?)</a:t>", deck.read(n).decode("utf-8"), re.S)
        ]
    assert any("\\x1b[2J" in t for t in texts)  # the hostile names are on the slides
    for text in texts:
        no_raw(text)
        assert not re.search("_x00[0-1][0-9A-Fa-f]_", text), "a control written as _xHHHH_"


@hypothesis.settings(max_examples=300, deadline=None)
@hypothesis.example("tag\U000e0041 \U0001f600 \ud800 \u2028")
@hypothesis.given(st.text(alphabet=st.characters(codec=None, exclude_categories=())))
def test_json_text_reads_back_as_written_whatever_the_characters(text: str) -> None:
    """Hidden characters are escaped, astral ones (tag characters) as surrogate pairs."""
    from journeygraph.escape import json_safe, json_text

    written = json_text({"name": text, "list": [text]})
    assert json.loads(written) == {"name": text, "list": [text]}
    assert json.loads(json_safe(json.dumps(text, ensure_ascii=False))) == text
    assert "\u202e" not in written
    assert "\U000e0041" not in written


def test_a_tag_character_in_a_finding_reads_back_from_the_audit_json(tmp_path: Path) -> None:
    text = (EXAMPLES / "helpdesk.yaml").read_text(encoding="utf-8")
    source = tmp_path / "tag\U000e0041.yaml"
    source.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["audit", str(source), "-f", "json", "--fail-on", "never"])
    assert result.exit_code == ExitCode.OK, result.output
    data = json.loads(result.stdout)
    assert data["file"] == str(source)  # U+E0041 back, not U+E004 and "1"


def test_a_journey_name_with_a_line_break_heads_the_terminal_audit_on_one_line(
    tmp_path: Path,
) -> None:
    import subprocess
    import sys

    examples = Path(__file__).resolve().parent.parent / "examples"
    text = (examples / "b2b-saas.yaml").read_text(encoding="utf-8")
    heading = '  name: "first\\nsecond \\e[2J"'  # a YAML line break and an ESC
    named = re.sub(r"(?m)^  name: .*$", lambda _: heading, text, count=1)
    assert named != text
    (tmp_path / "m.yaml").write_text(named, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "journeygraph", "audit", str(tmp_path / "m.yaml")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.stdout.splitlines()[0].startswith("first\\x0asecond \\x1b[2J")
