"""Fuzzing every loader: mutated valid files end in success or in exit 2 with a message.

Each loader (YAML map, workbook, CSV folder, GraphML, event log, baseline,
audit config) is fed files made from a valid one by random byte edits and by
inserting tokens that have broken parsers before. Whatever comes in, the
command ends with exit 0, 1 (findings) or 2 (bad input) and a message, never
with a traceback or journeygraph's "internal error".
"""

from __future__ import annotations

import gzip
import os
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from journeygraph.cli import ExitCode, app
from tests.conftest import EXAMPLES

B2B = EXAMPLES / "b2b-saas.yaml"
LOG = EXAMPLES / "b2b-saas-events.csv"
runner = CliRunner()
WORK = Path(tempfile.mkdtemp(prefix="journeygraph-fuzz-"))

TOKENS = [
    b"\x00",
    b"\xff\xfe",
    b"\t",
    b"\r",
    b'"',
    b"'",
    b",",
    b";",
    b"\n",
    b"{",
    b"[",
    b"]",
    b": ",
    b"- ",
    b"<<: 5",
    b"&a ",
    b"*a",
    b"*nowhere",
    b"!!python/object:os.system",
    b"9" * 5000,
    b".inf",
    b".nan",
    b"1e308",
    b"true",
    b"null",
    b"~",
    b"\xe2\x80\xa8",
    b"\xc2\x85",
    b"\x1b[2J",
    b"<",
    b">",
    b"&amp;",
    b"]]>",
    b"<!ENTITY x SYSTEM 'file:///etc/passwd'>",
    b"=1+1",
    b"---\n",
    b"...\n",
    b"%YAML 1.1\n",
    b"x" * 200_000,
    b"[" * 3_000,
    b"{a: " * 1_000,
]

Edit = tuple[int, int, bytes]
edits = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=2**31),
        st.sampled_from(["insert", "replace", "delete", "truncate"]),
        st.one_of(st.sampled_from(TOKENS), st.binary(min_size=1, max_size=8)),
    ),
    min_size=1,
    max_size=4,
)


def mutate(data: bytes, changes: list[tuple[int, str, bytes]]) -> bytes:
    for where, how, token in changes:
        at = where % (len(data) + 1)
        if how == "insert":
            data = data[:at] + token + data[at:]
        elif how == "replace":
            data = data[:at] + token + data[at + len(token) :]
        elif how == "delete":
            data = data[:at] + data[at + len(token) :]
        else:
            data = data[:at]
    return data


def outcome(*args: str | Path, located: Path | None = None) -> None:
    """Run the command; it must end as a command should, whatever its input (and, given
    ``located``, a refusal must name that file)."""
    result = runner.invoke(app, [str(a) for a in args])
    crash = result.exception if not isinstance(result.exception, SystemExit) else None
    assert crash is None, f"{type(crash).__name__}: {crash}"
    assert result.exit_code in (ExitCode.OK, ExitCode.FINDINGS, ExitCode.ERROR), result.stderr
    assert "Traceback" not in result.stderr
    assert "internal error" not in result.stderr, result.stderr
    if result.exit_code == ExitCode.ERROR:
        assert result.stderr.strip(), "exit 2 without a message"
        if located is not None:
            assert str(located) in result.stderr, result.stderr


# A deeper search, with new draws: JOURNEYGRAPH_FUZZ_EXAMPLES=2000 pytest tests/test_fuzz.py
FUZZ = settings(
    max_examples=int(os.environ.get("JOURNEYGRAPH_FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
    # CI explores the same examples on every run, so that a submission's result does
    # not hang on a draw; elsewhere each run draws new ones.
    derandomize=bool(os.environ.get("CI")),
)


def fresh(name: str) -> Path:
    folder = Path(tempfile.mkdtemp(dir=WORK))
    return folder / name


@FUZZ
@given(changes=edits)
def test_yaml_maps(changes: list[tuple[int, str, bytes]]) -> None:
    path = fresh("map.yaml")
    path.write_bytes(mutate(B2B.read_bytes(), changes))
    outcome("validate", path)


@FUZZ
@given(changes=edits)
def test_audit_configs(changes: list[tuple[int, str, bytes]]) -> None:
    config = b"thresholds: {overload_share: 0.3, overload_min: 5}\ndisable: [missing-metric]\n"
    config += b"severity: {idle-function: info}\n"
    config += b"waivers: [{rule: loop, entities: [a], reason: accepted}]\n"
    path = fresh("config.yaml")
    path.write_bytes(mutate(config, changes))
    outcome("audit", B2B, "--config", path, "--fail-on", "never", "-f", "json")


@FUZZ
@given(changes=edits)
def test_scenarios(changes: list[tuple[int, str, bytes]]) -> None:
    scenario = EXAMPLES / "scenarios" / "b2b-saas-agreed-handoff.yaml"
    path = fresh("scenario.yaml")
    path.write_bytes(mutate(scenario.read_bytes(), changes))
    outcome("scenario", "apply", B2B, path, "-o", fresh("to-be.yaml"), located=path)


def _exported(suffix: str) -> Path:
    target = WORK / f"b2b{suffix}"
    if not target.exists():
        assert runner.invoke(app, ["export", str(B2B), "-o", str(target)]).exit_code == 0
    return target


@FUZZ
@given(sheet=st.sampled_from(["stages", "touchpoints", "ownership", "audit"]), changes=edits)
def test_csv_folders(sheet: str, changes: list[tuple[int, str, bytes]]) -> None:
    source = _exported("")
    folder = fresh("map")
    folder.mkdir()
    for file in source.glob("*.csv"):
        (folder / file.name).write_bytes(file.read_bytes())
    file = folder / f"{sheet}.csv"
    file.write_bytes(mutate(file.read_bytes(), changes))
    outcome("validate", folder)


@FUZZ
@given(
    member=st.sampled_from(
        [
            "xl/worksheets/sheet3.xml",
            "xl/worksheets/sheet6.xml",
            "xl/worksheets/sheet8.xml",
            "xl/workbook.xml",
            "xl/styles.xml",
            "[Content_Types].xml",
        ]
    ),
    changes=edits,
)
def test_workbooks(member: str, changes: list[tuple[int, str, bytes]]) -> None:
    with zipfile.ZipFile(_exported(".xlsx")) as package:
        parts = {i.filename: package.read(i) for i in package.infolist()}
    parts[member] = mutate(parts[member], changes)
    path = fresh("book.xlsx")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)
    outcome("validate", path)


@FUZZ
@given(changes=edits)
def test_workbook_bytes(changes: list[tuple[int, str, bytes]]) -> None:
    path = fresh("book.xlsx")
    path.write_bytes(mutate(_exported(".xlsx").read_bytes(), changes))
    outcome("validate", path)


@FUZZ
@given(changes=edits)
def test_graphml(changes: list[tuple[int, str, bytes]]) -> None:
    path = fresh("map.graphml")
    path.write_bytes(mutate(_exported(".graphml").read_bytes(), changes))
    outcome("validate", path)


@FUZZ
@given(changes=edits, strict=st.booleans())
def test_event_logs(changes: list[tuple[int, str, bytes]], strict: bool) -> None:
    head = LOG.read_bytes()[:4000]
    path = fresh("events.csv")
    path.write_bytes(mutate(head[: head.rfind(b"\n") + 1], changes))
    outcome("discover", path, "-f", "json", *(["--strict"] if strict else []))


OCEL = Path(__file__).parent / "fixtures" / "ocel"


def _small_xes() -> bytes:
    """The first traces of the Helpdesk log (examples/), as a whole XES document."""
    text = gzip.decompress((EXAMPLES / "helpdesk.xes.gz").read_bytes())
    cut = text.index(b"<trace>", text.index(b"<trace>") + 1)
    cut = text.index(b"<trace>", cut + 1)
    return text[:cut] + b"</log>\n"


@FUZZ
@given(changes=edits, gz=st.booleans(), inflated=st.booleans())
def test_xes_logs(changes: list[tuple[int, str, bytes]], gz: bool, inflated: bool) -> None:
    # .xes.gz is fuzzed both ways: edits to the XML it holds, and to its gzip bytes.
    xml = _small_xes()
    if not gz:
        path = fresh("log.xes")
        path.write_bytes(mutate(xml, changes))
    else:
        path = fresh("log.xes.gz")
        packed = gzip.compress(mutate(xml, changes) if inflated else xml)
        path.write_bytes(packed if inflated else mutate(packed, changes))
    outcome("discover", path, "-f", "json", located=path)


@FUZZ
@given(changes=edits, strict=st.booleans())
def test_gzipped_csv_logs(changes: list[tuple[int, str, bytes]], strict: bool) -> None:
    head = LOG.read_bytes()[:4000]
    path = fresh("events.csv.gz")
    path.write_bytes(mutate(gzip.compress(head[: head.rfind(b"\n") + 1]), changes))
    outcome("discover", path, "-f", "json", *(["--strict"] if strict else []), located=path)


@FUZZ
@given(name=st.sampled_from(["orders.jsonocel", "orders.xmlocel"]), changes=edits)
def test_ocel_logs(name: str, changes: list[tuple[int, str, bytes]]) -> None:
    path = fresh(name)
    path.write_bytes(mutate((OCEL / name).read_bytes(), changes))
    outcome("discover", path, "--object-type", "order", "-f", "json", located=path)


CELLS = [None, "", "x" * 3_000_000, b"\x00\xff", 1e308, -1, "9" * 5000, "\x1b[2J", "nan"]


@FUZZ
@given(
    table=st.sampled_from(["event", "object", "event_object", "event_map_type", "object_map_type"]),
    column=st.integers(min_value=0, max_value=4),
    row=st.integers(min_value=1, max_value=30),
    value=st.sampled_from(CELLS),
    changes=st.one_of(st.none(), edits),
)
def test_ocel_sqlite_logs(
    table: str, column: int, row: int, value: object, changes: list[tuple[int, str, bytes]] | None
) -> None:
    import sqlite3

    path = fresh("orders.sqlite")
    path.write_bytes((OCEL / "orders.sqlite").read_bytes())
    con = sqlite3.connect(path)
    names = [r[1] for r in con.execute(f'PRAGMA table_info("{table}")')]
    if names:
        name = names[column % len(names)]
        con.execute(f'UPDATE "{table}" SET "{name}" = ? WHERE rowid = ?', [value, row])
        con.commit()
    con.close()
    if changes is not None:
        path.write_bytes(mutate(path.read_bytes(), changes))
    outcome("discover", path, "--object-type", "order", "-f", "json", located=path)


def _baseline(output_format: str) -> bytes:
    target = WORK / f"baseline.{output_format}"
    if not target.exists():
        args = ["audit", str(B2B), "-f", output_format, "--fail-on", "never", "-o", str(target)]
        assert runner.invoke(app, args).exit_code == 0
    return target.read_bytes()


@FUZZ
@given(output_format=st.sampled_from(["json", "sarif"]), changes=edits)
def test_baselines(output_format: str, changes: list[tuple[int, str, bytes]]) -> None:
    path = fresh(f"baseline.{output_format}")
    path.write_bytes(mutate(_baseline(output_format), changes))
    outcome("audit", B2B, "--baseline", path, "--fail-on", "never")


@pytest.mark.parametrize(
    "make",
    [
        lambda p: p.write_bytes(b""),
        lambda p: p.mkdir(),
        lambda p: p.write_bytes(b"\x00" * 100),
        lambda p: p.symlink_to(p.parent / "missing"),
    ],
    ids=["empty", "folder", "nul-bytes", "dangling-link"],
)
@pytest.mark.parametrize(
    "command",
    [
        ["validate", "FILE.yaml"],
        ["validate", "FILE.xlsx"],
        ["validate", "FILE.graphml"],
        ["discover", "FILE.csv"],
        ["audit", str(B2B), "--baseline", "FILE.json"],
        ["audit", str(B2B), "--config", "FILE.yaml"],
    ],
)
def test_degenerate_files(command: list[str], make: Callable[[Path], object]) -> None:
    args = []
    for arg in command:
        if arg.startswith("FILE"):
            path = fresh(arg.replace("FILE", "input"))
            make(path)
            arg = str(path)
        args.append(arg)
    outcome(*args)
