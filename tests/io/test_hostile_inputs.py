"""Inputs that once lost data, ran out of memory or ended in a traceback.

Each gets exit code 2 and one message that says where and what to do; none
is read as something it is not.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

import journeygraph
from journeygraph.cli import ExitCode, app
from journeygraph.io.workbook import LIMITS
from tests.conftest import EXAMPLES, ROOT

B2B = EXAMPLES / "b2b-saas.yaml"
runner = CliRunner()


def run(*args: str | Path) -> tuple[int, str]:
    result = runner.invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.stderr
    assert "internal error" not in result.stderr, result.stderr
    return result.exit_code, result.stderr


def refused(*args: str | Path) -> str:
    """The one problem line of a command that must refuse its input."""
    code, err = run(*args)
    assert code == ExitCode.ERROR, err
    return err.splitlines()[0]


# --- YAML maps ------------------------------------------------------------------

HEAD = "version: 1\njourney: {id: j}\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (HEAD, "m.yaml:1:1: missing required key 'stages' at the top level"),
        (HEAD + "stages: null\n", "m.yaml:3:9: 'stages' must be a list, not empty"),
        (HEAD + "stages: text\n", "m.yaml:3:9: 'stages' must be a list, not 'text'"),
        (HEAD + "stages: {a: 1}\n", "m.yaml:3:9: 'stages' must be a list, not a mapping"),
        (
            HEAD + "stages: [{id: s}]\ntouchpoints:\n  - {id: a, stage: s, next: "
            "[{to: a, weight: " + "9" * 5000 + "}]}\n",
            "m.yaml:5:46: a number of 5,000 digits; quote it if it is text",
        ),
        (
            HEAD + "stages: [{id: s}]\ntouchpoints:\n  - {id: a, stage: s, next: "
            "[{to: a, weight: .inf}]}\n",
            "m.yaml:5:46: 'weight' must be a finite number, not inf in touchpoint 'a'",
        ),
        (
            HEAD + "stages: [{id: s}]\ntouchpoints:\n  - {id: a, stage: s, next: "
            "[{to: a, weight: true}]}\n",
            "m.yaml:5:46: 'weight' must be a number, not true in touchpoint 'a'",
        ),
        (
            HEAD + "stages: [{id: s}]\n<<: 5\n",
            "m.yaml:4:5: a merge key (<<) takes an alias of a mapping (<<: *name) or a list of "
            "them; to use '<<' as a key, quote it",
        ),
        (
            HEAD + "stages:\n\t- {id: s}\n",
            "m.yaml:4:1: invalid YAML: a tab here; YAML indents with spaces only: replace the "
            "tab with spaces",
        ),
        (
            'version: "2"\njourney: {id: j}\nstages: [{id: s}]\n',
            "m.yaml:1:10: unsupported format version 2; this journeygraph reads version 1",
        ),
    ],
    ids=[
        "no-stages",
        "null-stages",
        "text-stages",
        "mapping-stages",
        "5000-digits",
        "inf-weight",
        "true-weight",
        "merge-key-on-a-number",
        "tab",
        "version-as-text",
    ],
)
def test_bad_yaml_maps(text: str, expected: str, tmp_path: Path) -> None:
    (tmp_path / "m.yaml").write_text(text, encoding="utf-8")
    assert refused("validate", tmp_path / "m.yaml") == f"{tmp_path / expected}"


# --- CSV folders ----------------------------------------------------------------


def csv_map(tmp_path: Path, stages: bytes | Callable[[bytes], bytes]) -> Path:
    """The B2B example as CSV files, ``stages.csv`` replaced or changed by ``stages``."""
    folder = tmp_path / "map"
    assert run("export", B2B, "-o", folder)[0] == ExitCode.OK
    old = (folder / "stages.csv").read_bytes()
    new = stages if isinstance(stages, bytes) else stages(old)
    assert new != old
    (folder / "stages.csv").write_bytes(new)
    return folder


@pytest.mark.parametrize(
    ("stages", "expected"),
    [
        (
            b"id,name,description\n\xff\xfeawareness,A,\n",
            "map/stages.csv:2:1: byte 0xff is not UTF-8; save the file as UTF-8 CSV",
        ),
        (
            b"id,name,description\nawareness," + b"x" * 140_000 + b",\n",
            "map:stages.csv!A2: not valid CSV: a cell of more than 131,072 characters",
        ),
        (
            b'id,name,description\nawareness,"Aw,\n',
            'map:stages.csv!A2: not valid CSV: a quoted cell is never closed: add the closing "',
        ),
        (
            lambda old: old.replace(b"awareness,Awareness,", b"awareness,Awareness,,extra"),
            "map:stages.csv!D2: a value in a column with no header in sheet 'stages': give "
            "the column a header in row 1, or move the value",
        ),
        (
            lambda old: old.replace(b"id,name,", b"id,,name,").replace(
                b"awareness,Awareness,", b"awareness,lost,Awareness,"
            ),
            "map:stages.csv!B2: a value in a column with no header in sheet 'stages': give "
            "the column a header in row 1, or move the value",
        ),
        (
            lambda old: old.replace(b"id,name,description", b"id,name,name"),
            "map:stages.csv!C1: column 'name' appears twice in sheet 'stages' (first in B1); "
            "keep one",
        ),
    ],
    ids=["not-utf8", "huge-field", "open-quote", "no-header", "blank-header", "twice"],
)
def test_bad_csv_maps(
    stages: bytes | Callable[[bytes], bytes], expected: str, tmp_path: Path
) -> None:
    folder = csv_map(tmp_path, stages)
    assert refused("validate", folder) == f"{tmp_path}/{expected}"


# --- workbooks ------------------------------------------------------------------


def workbook(tmp_path: Path) -> Path:
    book = tmp_path / "book.xlsx"
    assert run("export", B2B, "-o", book)[0] == ExitCode.OK
    return book


def rewrite(book: Path, member: str, change: object) -> None:
    """Replace one part of the workbook package (``change`` maps old text to new)."""
    with zipfile.ZipFile(book) as old:
        parts = {i.filename: old.read(i) for i in old.infolist()}
    parts[member] = change(parts.get(member, b"").decode()).encode()  # type: ignore[operator]
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as new:
        for name, data in parts.items():
            new.writestr(name, data)


STAGES_SHEET = "xl/worksheets/sheet3.xml"


def test_a_claimed_size_is_not_read(tmp_path: Path) -> None:
    book = workbook(tmp_path)
    rewrite(
        book,
        STAGES_SHEET,
        lambda x: re.sub(r'<dimension ref="[^"]+"', '<dimension ref="A1:XFD1048576"', x),
    )
    code, err = run("validate", book)
    assert code == ExitCode.OK, err


def test_a_value_far_down_is_past_the_limit(tmp_path: Path) -> None:
    book = workbook(tmp_path)
    far = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    rewrite(book, STAGES_SHEET, lambda x: x.replace("</sheetData>", far + "</sheetData>"))
    assert refused("validate", book) == (
        f"{book}:stages!XFD1048576: a value in row 1,048,576, past the 100,000 rows "
        "journeygraph reads in sheet 'stages'"
    )


def test_a_shared_strings_bomb_is_refused_before_it_is_unpacked(tmp_path: Path) -> None:
    book = workbook(tmp_path)
    size = LIMITS["unpacked"] + 2**20
    with zipfile.ZipFile(book, "a", zipfile.ZIP_DEFLATED) as package:
        package.writestr("xl/sharedStrings.xml", b"<si><t>x</t></si>" * (size // 17 + 1))
    line = refused("validate", book)
    assert line.startswith(f"{book}: unpacks to 65 MB, over the 64 MB journeygraph reads")


def test_a_formula_never_calculated_is_refused(tmp_path: Path) -> None:
    import openpyxl

    book = workbook(tmp_path)
    wb = openpyxl.load_workbook(book)
    wb["stages"]["B2"] = '=UPPER("awareness")'
    wb.save(book)
    assert refused("validate", book) == (
        f"{book}:stages!B2: this cell holds a formula that was never calculated (the file was "
        "written by a program, not a spreadsheet app): open and save the workbook in a "
        "spreadsheet app, or type the value"
    )


def test_true_in_a_weight_cell_is_refused(tmp_path: Path) -> None:
    import openpyxl

    book = workbook(tmp_path)
    wb = openpyxl.load_workbook(book)
    sheet = wb["transitions"]
    column = [c.value for c in sheet[1]].index("weight") + 1
    sheet.cell(row=2, column=column, value=True)
    wb.save(book)
    line = refused("validate", book)
    assert f"{book}:transitions!{'ABCDEFG'[column - 1]}2: 'weight' must be a number, not true" in (
        line
    )


def test_a_workbook_header_twice_is_refused(tmp_path: Path) -> None:
    import openpyxl

    book = workbook(tmp_path)
    wb = openpyxl.load_workbook(book)
    wb["stages"]["D1"] = "name"
    wb["stages"]["D2"] = "Other"
    wb["stages"]["F2"] = "stray"
    wb.save(book)
    code, err = run("validate", book)
    assert code == ExitCode.ERROR
    assert f"{book}:stages!D1: column 'name' appears twice in sheet 'stages' (first in B1)" in err
    assert f"{book}:stages!F2: a value in a column with no header in sheet 'stages'" in err


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512,
            "an encrypted (password-protected) workbook or an old .xls file; save it without "
            "a password as .xlsx and try again",
        ),
        (
            b"id,name\n",
            "not an .xlsx workbook, or a damaged one (File is not a zip file); save it again "
            "as .xlsx",
        ),
    ],
    ids=["encrypted", "not-a-zip"],
)
def test_what_is_not_a_workbook_says_so(content: bytes, expected: str, tmp_path: Path) -> None:
    book = tmp_path / "book.xlsx"
    book.write_bytes(content)
    assert refused("validate", book) == f"{book}: {expected}"


@pytest.mark.parametrize("quoted", [True, False])
@pytest.mark.parametrize("breaks", ["\u2028", "\x85", "\u2029", "\u2028\x85\u2029"])
def test_lines_stay_right_past_yaml_only_line_breaks(
    breaks: str, quoted: bool, tmp_path: Path
) -> None:
    name = f'"a{breaks}b"' if quoted else f"a{breaks}b"
    text = (
        f"version: 1\njourney: {{id: j, name: {name}}}\nstages: [{{id: s}}]\n"
        "touchpoints:\n  - {id: a, stage: nowhere}\n"
    )
    (tmp_path / "m.yaml").write_text(text, encoding="utf-8")
    assert refused("validate", tmp_path / "m.yaml") == (
        f"{tmp_path / 'm.yaml'}:5:20: unknown stage 'nowhere'; known stages: 's'"
    )


# --- GraphML, baselines, query files and what is not a map --------------------------------


def graphml(tmp_path: Path, change: Callable[[str], str]) -> Path:
    path = tmp_path / "map.graphml"
    assert run("export", B2B, "-o", path)[0] == ExitCode.OK
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
    return path


def test_graphml_keys_of_another_type_are_one_message(tmp_path: Path) -> None:
    path = graphml(tmp_path, lambda x: x.replace('attr.type="string"', 'attr.type="int"'))
    line = refused("validate", path)
    assert line.startswith(f"{path}: not readable GraphML (invalid literal for int()")
    assert line.endswith(
        "journeygraph reads back the GraphML it writes (`journeygraph export MAP -o FILE.graphml`)"
    )


def test_graphml_broken_xml_is_located(tmp_path: Path) -> None:
    path = tmp_path / "map.graphml"
    path.write_text("<graphml><graph>", encoding="utf-8")
    assert refused("validate", path).startswith(f"{path}:1:16: not readable GraphML")


def test_an_invalid_map_in_graphml_is_worded_as_for_yaml(tmp_path: Path) -> None:
    path = graphml(
        tmp_path, lambda x: x.replace('<data key="weight">0.8<', '<data key="weight">-1<', 1)
    )
    code, err = run("validate", path)
    assert code == ExitCode.ERROR
    assert (
        err.splitlines()[0]
        == f"{path}: 'weight' must be more than 0: got -1.0 in touchpoint 'search-ad'"
    )
    assert "pydantic" not in err


@pytest.mark.parametrize("suffix", [".gexf", ".mmd", ".svg"])
def test_formats_journeygraph_only_writes_say_so(suffix: str, tmp_path: Path) -> None:
    path = tmp_path / f"map{suffix}"
    path.write_text("flowchart LR\n" + "A-->B\n" * 100_000, encoding="utf-8")
    assert refused("validate", path) == (
        f"{path}: {suffix} is a format journeygraph writes for other tools but does not read; "
        "give the map as YAML, an .xlsx workbook, a folder of CSV files or .graphml"
    )


def test_text_that_is_no_map_is_not_echoed_whole(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("x" * 5_000_000, encoding="utf-8")
    line = refused("validate", path)
    assert line.startswith(f"{path}:1:1: a journey map must be a YAML mapping")
    assert len(line) < 200 + len(str(path))


@pytest.mark.parametrize(
    "args",
    [
        ["audit", B2B, "--baseline", "FILE"],
        ["neo4j", "query", "FILE"],
        ["audit", B2B, "--config", "FILE"],
        ["scenario", "apply", B2B, "FILE"],
    ],
    ids=["baseline", "query", "config", "scenario"],
)
def test_files_that_are_not_utf8_are_located(args: list[str | Path], tmp_path: Path) -> None:
    path = tmp_path / "input.txt"
    path.write_bytes(b"MATCH (n)\n  RETURN \xff\xfe n")
    line = refused(*[path if a == "FILE" else a for a in args])
    assert line == f"{path}:2:10: byte 0xff is not UTF-8; save the file as UTF-8"


@pytest.mark.parametrize(
    ("content", "detail"),
    [(b"9" * 5000, "Exceeds the limit (4300 digits)"), (b"[" * 100_000, "maximum recursion depth")],
    ids=["5000-digits", "deep"],
)
def test_baselines_beyond_what_json_reads(content: bytes, detail: str, tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    path.write_bytes(content)
    line = refused("audit", B2B, "--baseline", path)
    assert line.startswith(f"journeygraph: {path}: not a journeygraph audit ({detail}")


def test_numbers_past_the_limit_are_refused_where_they_stand(tmp_path: Path) -> None:
    # 1e300 customers times 1e300 minutes overflowed every figure built from them.
    text = (
        "version: 1\njourney: {id: j}\nstages: [{id: s}]\n"
        "functions: [{id: f, fte: 0.000001}]\n"
        "touchpoints:\n"
        "  - {id: t, stage: s, owners: {R: [f]}, volume: 1e300, handle_minutes: 1e300}\n"
    )
    path = tmp_path / "m.yaml"
    path.write_text(text, encoding="utf-8")
    for command in (["validate"], ["audit"], ["whatif"]):
        result = runner.invoke(app, [*command, str(path)])
        assert result.exit_code == ExitCode.ERROR
        assert "Traceback" not in result.output
        assert f"{path}:4:26: 'fte' must be at least 0.01: got 1e-06" in result.stderr
        assert "'volume' must be at most 1,000,000,000,000: got 1e+300" in result.stderr
        assert "'handle_minutes' must be at most 1,000,000,000,000" in result.stderr


def test_a_quoted_scalar_means_what_it_spells_in_every_field(tmp_path: Path) -> None:
    # One rule: a quoted number or yes/no reads as it would in a workbook cell.
    body = (
        "journey: {id: j}\nstages: [{id: s}]\n"
        "departments: [{id: d, external: EXT}]\n"
        "functions: [{id: f, department: d}]\n"
        "touchpoints: [{id: t, stage: s, owners: {R: [f]}, experience: {emotion: EMO}}]\n"
    )
    quoted = tmp_path / "quoted.yaml"
    quoted.write_text(
        'version: "1"\n' + body.replace("EXT", '"true"').replace("EMO", '"-1"'), encoding="utf-8"
    )
    plain = tmp_path / "plain.yaml"
    plain.write_text("version: 1\n" + body.replace("EXT", "true").replace("EMO", "-1"))
    a, b = journeygraph.load(quoted), journeygraph.load(plain)
    assert a == b
    assert a.touchpoints[0].experience[0].emotion == -1


@pytest.mark.parametrize("kind", ["fifo", "folder"])
def test_a_csv_map_table_that_is_not_a_file_is_named(kind: str, tmp_path: Path) -> None:
    import os

    folder = tmp_path / "csv"
    assert (
        runner.invoke(app, ["export", str(EXAMPLES / "b2b-saas.yaml"), "-o", str(folder)]).exit_code
        == 0
    )
    name = "goals.csv" if kind == "fifo" else "touchpoints.csv"
    (folder / name).unlink()
    if kind == "fifo":
        os.mkfifo(folder / name)  # reading it would wait for ever
    else:
        (folder / name).mkdir()
    result = runner.invoke(app, ["validate", str(folder)])
    assert result.exit_code == ExitCode.ERROR
    what = "not a regular file" if kind == "fifo" else "a folder"
    assert f"{folder}:{name}!A1: {name} is {what}" in result.stderr
    assert "Is a directory" not in result.stderr


def test_a_pipe_in_a_folder_of_maps_is_refused(tmp_path: Path) -> None:
    import os

    (tmp_path / "a.yaml").write_bytes((EXAMPLES / "b2b-saas.yaml").read_bytes())
    os.mkfifo(tmp_path / "b.yaml")
    result = runner.invoke(app, ["validate", str(tmp_path)])
    assert result.exit_code == ExitCode.ERROR
    assert "b.yaml (in a folder of maps) is a pipe, socket or device, not a file" in result.stderr


EXPERIENCE_FORMS = """\
version: 1
journey: {id: j}
stages: [{id: s}]
personas: [{id: first-buyer}, {id: pro}]
touchpoints:
  - {id: a, stage: s, experience: EXPERIENCE}
"""


@pytest.mark.parametrize(
    "form",
    [
        "{first-buyer: {emotion: -1, pain_points: [slow]}, pro: {emotion: 2}}",
        "[{persona: first-buyer, emotion: -1, pain_points: [slow]}, {persona: pro, emotion: 2}]",
    ],
    ids=["by-persona", "list"],
)
def test_experience_by_persona_id_is_the_list_form(form: str, tmp_path: Path) -> None:
    import json

    import jsonschema
    import yaml

    from journeygraph.io.write import save_map

    text = EXPERIENCE_FORMS.replace("EXPERIENCE", form)
    path = tmp_path / "m.yaml"
    path.write_text(text, encoding="utf-8")
    m = journeygraph.load(path)
    assert [(e.persona, e.emotion) for e in m.touchpoints[0].experience] == [
        ("first-buyer", -1),
        ("pro", 2),
    ]
    # The JSON Schema editors check against accepts the form too.
    schema = json.loads((ROOT / "schema" / "journeymap.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(yaml.safe_load(text), schema)
    # Every format that carries maps keeps it.
    for suffix in (".xlsx", ".graphml", ""):
        out = tmp_path / f"m{suffix}"
        assert runner.invoke(app, ["export", str(path), "-o", str(out)]).exit_code == 0
        back = tmp_path / f"back{suffix or '-csv'}.yaml"
        assert runner.invoke(app, ["import", str(out), "-o", str(back)]).exit_code == 0
        assert journeygraph.load(back) == m
    save_map(m, tmp_path / "again.yaml")
    assert journeygraph.load(tmp_path / "again.yaml") == m


def test_a_wrong_experience_says_the_forms_that_work(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    form = "{emotion: 1, first-buyer: {emotion: -1}}"
    path.write_text(EXPERIENCE_FORMS.replace("EXPERIENCE", form), encoding="utf-8")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == ExitCode.ERROR
    assert f"{path}:6:48: unknown key 'first-buyer'" in result.stderr
    assert "or persona ids to them: experience: {first-buyer: {emotion: -1}}" in result.stderr
    wrong = "{first-buyer: {emotion: -1}, pro: {emotion: 9}}"
    path.write_text(EXPERIENCE_FORMS.replace("EXPERIENCE", wrong), encoding="utf-8")
    result = runner.invoke(app, ["validate", str(path)])
    assert f"{path}:6:79: 'emotion' must be a whole number from -2" in result.stderr
    mismatch = "{pro: {persona: first-buyer, emotion: 1}}"
    path.write_text(EXPERIENCE_FORMS.replace("EXPERIENCE", mismatch), encoding="utf-8")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == ExitCode.ERROR
    assert "the experience under persona 'pro' names persona 'first-buyer'; keep one" in (
        result.stderr
    )


# --- Scenarios ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "1:1: the file is empty; a scenario starts with 'version: 1'"),
        ("- remove_function: sdr\n", "1:1: it is not a mapping of keys to values"),
        ("version: 1\nchanges:\n\t- remove_function: sdr\n", "3:1: invalid YAML: a tab here"),
        ("version: 1\nversion: 1\nchanges: [remove_function: sdr]\n", "2:1: duplicate key"),
        ("version: 2\nchanges: [remove_function: sdr]\n", "1:10: unsupported format version 2"),
        ("version: 1\nchanges: []\n", "2:10: 'changes' must not be empty"),
        ("version: 1\nchanges: [{}]\n", "2:11: item is empty; write one of move_role"),
        (
            "version: 1\nchanges: [{remove_function: sdr, add_function: {id: x}}]\n",
            "2:11: item holds 2 changes (remove_function, add_function)",
        ),
        ("version: 1\nchanges: [{remove_function: !!python/name:os.system }]\n", "unsupported"),
        ("version: 1\nchanges:\n  - move_role: {touchpoint: demo-call, role: R, to: [a, b]}\n",
         "3:53: 'to' must be text, not a list"),
    ],
    ids=[
        "empty", "a-list", "tab", "duplicate-key", "version", "no-changes", "no-kind",
        "two-kinds", "python-tag", "list-for-id",
    ],
)  # fmt: skip
def test_bad_scenarios_are_located(text: str, expected: str, tmp_path: Path) -> None:
    path = tmp_path / "scenario.yaml"
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "to-be.yaml"
    code, err = run("scenario", "apply", B2B, path, "-o", out)
    assert code == ExitCode.ERROR, err
    assert err.startswith(str(path)), err
    assert expected in err
    assert not out.exists()
