"""A command loads only what it needs: start-up is part of every command's time."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import EXAMPLES, ROOT

DUCKDB = "_duckdb" if importlib.util.find_spec("_duckdb") else "duckdb"
"""What reading a log loads: DuckDB's engine alone where the installed DuckDB has it
(`journeygraph.evidence.reading.duckdb_engine`), not the Python API on top."""

HEAVY = [
    "neo4j",
    "duckdb",
    "_duckdb",
    "graphviz",
    "jinja2",
    "openpyxl",
    "networkx",
    "pydantic",
    "yaml",
    "matplotlib",
    "pptx",
    "lxml",
    "numpy",
    "starlette",
    "uvicorn",
    "pyspark",
    "PIL",
]


def loaded_after(code: str) -> list[str]:
    """The heavy libraries a fresh interpreter has loaded after running ``code``."""
    probe = (
        f"{code}\nimport sys, json\n"
        f"print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    return list(json.loads(done.stdout.strip().splitlines()[-1]))


def run_cli(*args: str) -> str:
    return (
        "import sys\nfrom journeygraph.cli import main\n"
        f"sys.argv = ['journeygraph', *{list(args)!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass"
    )


def test_importing_the_command_line_loads_none_of_them() -> None:
    assert loaded_after("import journeygraph.cli") == []


def test_version_and_help_load_none_of_them() -> None:
    assert loaded_after(run_cli("--version")) == []
    assert loaded_after(run_cli("--help")) == []


@pytest.mark.parametrize(
    ("args", "allowed"),
    [
        (["validate", str(EXAMPLES / "b2b-saas.yaml")], {"pydantic", "yaml"}),
        (["audit", str(EXAMPLES / "b2b-saas.yaml")], {"networkx", "pydantic", "yaml"}),
        (["schema"], {"networkx", "pydantic", "yaml"}),
        # DOT output is the core's: Graphviz's wrapper, no report library.
        (
            ["render", str(EXAMPLES / "b2b-saas.yaml"), "-o", "{tmp}/flow.dot"],
            {"graphviz", "networkx", "pydantic", "yaml"},
        ),
        # The action plan as text: no workbook library.
        (["actions", str(EXAMPLES / "b2b-saas.yaml")], {"networkx", "pydantic", "yaml"}),
        # A log without a map: DuckDB alone, as text or JSON (pydantic is typer's own:
        # its adapters import it); nothing of the map (networkx, YAML), Neo4j, the
        # report's or the workbook's libraries.
        (["discover", str(EXAMPLES / "b2b-saas-events.csv")], {DUCKDB, "pydantic"}),
        (
            ["discover", str(EXAMPLES / "b2b-saas-events.csv"), "-f", "json", "-o", "{tmp}/o.json"],
            {DUCKDB, "pydantic"},
        ),
    ],
)
def test_a_command_loads_only_what_it_uses(
    args: list[str], allowed: set[str], tmp_path: Path
) -> None:
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    loaded = set(loaded_after(run_cli(*args)))
    assert loaded <= allowed, f"{' '.join(args)} loaded {sorted(loaded - allowed)}"


def test_importing_the_library_is_lazy_too() -> None:
    assert loaded_after("import journeygraph") == []
    assert "pydantic" in loaded_after("import journeygraph; journeygraph.load")


def test_version_is_answered_before_the_command_tree_is_built() -> None:
    # The console entry point (`journeygraph --version`) imports neither the
    # command line nor typer and rich, and prints what the --version option prints.
    probe = (
        "import sys\nsys.argv = ['journeygraph', '--version']\n"
        "from journeygraph._start import main\nmain()\n"
        "print(sorted(m for m in ('typer', 'rich', 'journeygraph.cli') if m in sys.modules))\n"
        "plain = [m for m in ('typing', 'enum', 'signal', 'threading') if m in sys.modules]\n"
        "import json\nprint(json.dumps(plain))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    version, loaded, plain = done.stdout.splitlines()
    assert loaded == "[]"
    # Nor typing, enum (signal's) or threading: most of its time, when a bare
    # interpreter loads none of them.
    assert set(json.loads(plain)) <= _at_start()
    through_typer = subprocess.run(
        [sys.executable, "-c", run_cli("--version")],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert through_typer.stdout == version + "\n"
    assert version.startswith("journeygraph ")


def _at_start() -> set[str]:
    """The modules a bare interpreter here has loaded before any code runs."""
    probe = "import sys\nat = sorted(sys.modules)\nimport json\nprint(json.dumps(at))"
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return set(json.loads(done.stdout))


def built_commands(*args: str) -> list[str]:
    """The commands typer builds (reads the parameters of) to run ``args``."""
    probe = (
        "import sys, json\nimport typer.main\nbuilt = []\n"
        "original = typer.main.get_command_from_info\n"
        "def spy(*args, **kw):\n    info = kw.get('command_info') or args[0]\n"
        "    built.append(info.name)\n    return original(*args, **kw)\n"
        "typer.main.get_command_from_info = spy\n"
        f"{run_cli(*args)}\nprint(json.dumps(built))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    return list(json.loads(done.stdout.strip().splitlines()[-1]))


def test_a_command_builds_only_its_own_parameters() -> None:
    assert built_commands("validate", str(EXAMPLES / "b2b-saas.yaml")) == ["validate"]
    neo4j = {"push", "migrate", "list", "delete", "pull", "audit", "query"}
    assert "list" in set(built_commands("neo4j", "list", "--help")) <= neo4j
    # Without a command, or with a misspelt one, the whole tree: --help lists every
    # command, and a typo gets its "did you mean".
    assert {"validate", "audit", "discover"} <= set(built_commands("--help"))
    assert {"validate", "audit", "discover"} <= set(built_commands("--help", "validate"))
    typo = subprocess.run(
        [sys.executable, "-c", run_cli("valdate", "x.yaml")],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert "Did you mean 'validate'?" in typo.stderr


def run_entry(*args: str) -> str:
    """Code that runs the console entry point (`journeygraph._start.main`) on ``args``."""
    return (
        "import sys\nfrom journeygraph._start import main\n"
        f"sys.argv = ['journeygraph', *{list(args)!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass"
    )


def test_validate_of_valid_maps_is_answered_without_typer_or_rich() -> None:
    probe = (
        run_entry("validate", str(EXAMPLES / "b2b-saas.yaml"), str(EXAMPLES / "mortgage.yaml"))
        + "\nprint(sorted(m for m in ('typer', 'rich', 'journeygraph.cli') if m in sys.modules))"
    )
    fast = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert fast.stdout.strip() == "[]"
    assert loaded_after(run_entry("validate", str(EXAMPLES / "b2b-saas.yaml"))) == [
        "pydantic",
        "yaml",
    ]
    # What it prints is what the command prints through typer, byte for byte.
    through_typer = subprocess.run(
        [
            sys.executable,
            "-c",
            run_cli("validate", str(EXAMPLES / "b2b-saas.yaml"), str(EXAMPLES / "mortgage.yaml")),
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert fast.stderr == through_typer.stderr
    assert fast.stderr.count(": valid (") == 2


def collections_during(*args: str) -> tuple[int, bool]:
    """How many times the garbage collector ran while the entry point ran ``args``, and
    whether it was on at the end."""
    probe = (
        "import gc, sys\nfrom journeygraph._start import main\nruns = []\n"
        "gc.callbacks.append(lambda phase, info: phase == 'start' and runs.append(info))\n"
        f"sys.argv = ['journeygraph', *{list(args)!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(len(runs), gc.isenabled())"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    runs, enabled = done.stdout.splitlines()[-1].split()
    return int(runs), enabled == "True"


def test_start_up_runs_no_garbage_collection(tmp_path: Path) -> None:
    # Loading pydantic, PyYAML and the model's classes ran the collector 58 times
    # (a twentieth of validate's CPU time) for 458 objects freed.
    b2b, mortgage = str(EXAMPLES / "b2b-saas.yaml"), str(EXAMPLES / "mortgage.yaml")
    assert collections_during("validate", b2b, mortgage) == (0, False)
    # Through the command line, the collector is on again for the command's own work.
    assert collections_during("validate", str(tmp_path / "missing.yaml"))[1] is True
    assert collections_during("--help")[1] is True


@pytest.mark.parametrize(
    "args",
    [["--help"], ["{bad}"], ["{missing}"], [str(EXAMPLES / "b2b-saas.yaml"), "--help"]],
)
def test_validate_with_anything_else_goes_through_the_command_line(
    args: list[str], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "version: 1\njourney: {id: j}\nstages: [{id: s}]\ntouchpoints: [{id: t, stage: x}]\n",
        encoding="utf-8",
    )
    args = [a.format(bad=bad, missing=tmp_path / "missing.yaml") for a in args]
    entry = subprocess.run(
        [sys.executable, "-c", run_entry("validate", *args) + "\nprint('typer' in sys.modules)"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert entry.stdout.strip().splitlines()[-1] == "True"
    through_typer = subprocess.run(
        [sys.executable, "-c", run_cli("validate", *args)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert entry.stderr == through_typer.stderr


def test_validate_of_a_pipe_is_read_once_by_the_command_line(tmp_path: Path) -> None:
    """A map given as a pipe (`<(...)`, /dev/stdin) is the command line's to read: read
    first by the fast path, it would be empty when the command line reads it again."""
    bad = "version: 1\njourney: {id: j}\nstages: [\n"
    runs = {}
    for name, code in (("entry", run_entry), ("typer", run_cli)):
        pipe = tmp_path / f"{name}.yaml"
        os.mkfifo(pipe)
        _feed(pipe, bad)
        done = subprocess.run(
            [sys.executable, "-c", code("validate", str(pipe), str(EXAMPLES / "helpdesk.yaml"))],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        runs[name] = done.stderr.replace(str(pipe), "PIPE")
    assert "the file is empty" not in runs["entry"]
    assert "invalid YAML" in runs["entry"], runs["entry"]
    assert runs["entry"] == runs["typer"]


def _feed(pipe: Path, text: str) -> None:
    """Write ``text`` into the named pipe from a thread (it opens once a reader does)."""
    import threading

    def write() -> None:
        with pipe.open("w", encoding="utf-8") as out:
            out.write(text)

    threading.Thread(target=write, daemon=True).start()


def _both(
    args: list[str],
    tmp_path: Path,
    command: str = "discover",
    output: str = "out.json",
    read: Callable[[bytes], Any] = bytes,
) -> dict[str, tuple[int, str, str, Any, bool]]:
    """``COMMAND ARGS`` through the console entry point and through the command line:
    each one's exit code, stdout, stderr, what the output file ``OUTPUT`` holds
    (``read`` of its bytes; written to the same path, one after the other), and
    whether typer was loaded."""
    out = tmp_path / output
    runs = {}
    for name, module in (("entry", "journeygraph._start"), ("typer", "journeygraph.cli")):
        out.unlink(missing_ok=True)
        code = (
            "import atexit, sys\n"
            "atexit.register(lambda: print('\\ntyper loaded:', 'typer' in sys.modules, "
            "file=sys.stderr))\n"
            f"sys.argv = ['journeygraph', {command!r}, *{args!r}]\n"
            f"from {module} import main\nmain()\n"
        )
        done = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            cwd=tmp_path,
        )
        stderr, _, loaded = done.stderr.rpartition("\ntyper loaded: ")
        held = read(out.read_bytes()) if out.exists() else read(b"")
        runs[name] = (done.returncode, done.stdout, stderr, held, loaded.strip() == "True")
    return runs


BAD_ROWS_LOG = (
    "case_id,touchpoint,timestamp\n"
    "c1,visit-website,2024-05-01T10:00:00Z\nc1,book-demo,2024-05-01T10:05:00Z\n"
    ",book-demo,2024-05-01T11:00:00Z\nc2,visit-website,yesterday\n"
)


STARTS_ONLY_XES = """<?xml version="1.0" encoding="UTF-8"?>
<log xmlns="http://www.xes-standard.org/">
<trace><string key="concept:name" value="c1"/><event><string key="concept:name" value="a"/>\
<date key="time:timestamp" value="2024-05-01T10:00:00Z"/>\
<string key="lifecycle:transition" value="start"/></event></trace>
</log>
"""


@pytest.mark.parametrize(
    ("args", "fast"),
    [
        (["{log}", "-f", "json", "-o", "out.json"], True),
        (["{log}"], True),
        (["--format=json", "{log}", "--map", "{map}", "--fail-on", "never"], True),
        (["{log}", "-m", "{map}", "-o", "out.json", "--force", "--rules", "unmapped-touchpoint"],
         True),
        (["{bad}", "-f", "json"], True),
        (["{bad}", "--map", "{map}", "--where", "x=1"], True),
        (["{log}", "--fail-on", "sometimes"], False),
        (["{log}", "--help"], False),
        (["{log}", "--no-such-option"], False),
        (["{missing}", "-f", "json"], True),
        (["{log}", "--map", "{missing}"], True),
        (["{log}", "--rules", "no-such-rule", "--map", "{map}"], True),
        (["{log}", "-fjson"], False),
        (["{log}", "--emit-map", "skeleton.yaml", "--force"], False),
        # A note naming a log whose name holds a tab: said written out, the output
        # written once (it was written, then refused by the command line run again).
        (["{starts}", "-f", "json", "-o", "out.json"], True),
    ],
)  # fmt: skip
def test_discover_answered_by_the_entry_point_writes_what_the_command_line_writes(
    args: list[str], fast: bool, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(BAD_ROWS_LOG, encoding="utf-8")
    starts = tmp_path / "a\tb.xes"
    starts.write_text(STARTS_ONLY_XES, encoding="utf-8")
    given = {
        "log": str(EXAMPLES / "b2b-saas-events.csv"),
        "map": str(EXAMPLES / "b2b-saas.yaml"),
        "bad": str(bad),
        "missing": str(tmp_path / "missing.csv"),
        "starts": str(starts),
    }
    runs = _both([a.format(**given) for a in args], tmp_path)
    entry, typer_run = runs["entry"], runs["typer"]
    assert entry[:4] == typer_run[:4]
    # Plain options are answered without typer; anything else (and an error, which
    # the command line then says) goes through it.
    failed = entry[0] == 2
    assert entry[4] is (not fast or failed), entry
    assert entry[0] in (0, 1, 2)
    if "{starts}" in args:
        assert entry[0] == 0, entry
        assert "\\x09b.xes: the log has no events" in entry[2], entry


def test_discover_without_a_terminal_loads_only_duckdb(tmp_path: Path) -> None:
    args = [str(EXAMPLES / "b2b-saas-events.csv"), "-f", "json", "-o", str(tmp_path / "o.json")]
    assert loaded_after(run_entry("discover", *args)) == [DUCKDB]


def test_the_entry_point_s_discover_options_are_the_command_s() -> None:
    """Each option the entry point takes is the command's, with the command's default:
    an option added to the command goes to typer until the entry point learns it."""
    import dataclasses

    import typer.main

    from journeygraph import _discover
    from journeygraph.cli import app

    command = typer.main.get_command(app).commands["discover"]  # type: ignore[attr-defined]
    options = {name: p for p in command.params for name in p.opts}
    defaults = {f.name: f.default for f in dataclasses.fields(_discover.Asked)}
    taken = {**_discover._VALUES, **_discover._LISTS, **_discover._FLAGS}
    for name, key in taken.items():
        param = options[name]
        assert param.name == key, name
        default = param.default.value if hasattr(param.default, "value") else param.default
        assert default == defaults[key], name


WAIVED = """
audit:
  waivers:
    - {rule: loop, entities: [no-such-touchpoint], reason: "agreed\\tin review"}
"""


@pytest.mark.parametrize(
    ("args", "fast"),
    [
        (["{map}", "-f", "json", "-o", "out.json"], True),
        (["{map}"], True),
        (["--format=sarif", "{map}", "--fail-on", "never"], True),
        (["{map}", "{other}", "-f", "json", "--output=out.json"], True),
        (["{dense}", "-f", "text", "-o", "out.json", "--force"], True),
        (["{waived}", "-f", "json", "-o", "out.json"], True),
        (["{bad}", "-f", "json"], True),
        (["{map}", "-o", "{map}", "--force"], True),
        (["{map}", "-o", "{existing}"], True),
        (["{missing}", "-f", "json"], True),
        (["{map}", "--rules", "loop"], False),
        (["{map}", "-fjson"], False),
        (["{map}", "-f", "json", "--format", "sarif"], False),
        (["{map}", "--fail-on", "sometimes"], False),
        (["{map}", "--help"], False),
        (["{map}", "--baseline", "{map}"], False),
    ],
)  # fmt: skip
def test_audit_answered_by_the_entry_point_writes_what_the_command_line_writes(
    args: list[str], fast: bool, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\njourney: {id: j}\nstages: [{id: s}]\n", encoding="utf-8")
    waived = tmp_path / "waived.yaml"
    waived.write_text((EXAMPLES / "helpdesk.yaml").read_text(encoding="utf-8") + WAIVED)
    existing = tmp_path / "existing.json"
    existing.write_text("{}", encoding="utf-8")
    given = {
        "map": str(EXAMPLES / "b2b-saas.yaml"),
        "other": str(EXAMPLES / "mortgage.yaml"),
        "dense": str(ROOT / "tests/fixtures/dense-300.yaml"),
        "waived": str(waived),
        "bad": str(bad),
        "existing": str(existing),
        "missing": str(tmp_path / "missing.yaml"),
    }
    runs = _both([a.format(**given) for a in args], tmp_path, "audit")
    entry, typer_run = runs["entry"], runs["typer"]
    assert entry[:4] == typer_run[:4]
    assert entry[0] in (0, 1, 2)
    failed = entry[0] == 2
    assert entry[4] is (not fast or failed), entry
    if "{waived}" in args:
        assert "matches no finding" in entry[2], entry


def test_audit_without_a_terminal_loads_no_command_line_library(tmp_path: Path) -> None:
    args = [str(EXAMPLES / "b2b-saas.yaml"), "-f", "json", "-o", str(tmp_path / "o.json")]
    probe = (
        run_entry("audit", *args)
        + "\nprint(sorted(m for m in ('typer', 'rich', 'journeygraph.cli') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "[]"
    assert loaded_after(run_entry("audit", *args)) == ["networkx", "pydantic", "yaml"]


def test_the_entry_point_s_audit_options_are_the_command_s() -> None:
    """Each option the entry point takes is the command's, with the command's default."""
    import dataclasses

    import typer.main

    from journeygraph import _audit_command
    from journeygraph.cli import app

    command = typer.main.get_command(app).commands["audit"]  # type: ignore[attr-defined]
    options = {name: p for p in command.params for name in p.opts}
    defaults = {f.name: f.default for f in dataclasses.fields(_audit_command._Asked)}
    named = {"format": "output_format", "output": "output", "fail_on": "fail_on"}
    for name, key in _audit_command._OPTIONS.items():
        param = options[name]
        assert param.name == named[key], name
        default = param.default.value if hasattr(param.default, "value") else param.default
        assert default == defaults[key], name
    assert options["--force"].name == "force"
    assert options["--force"].default is False


def _both_plans(args: list[str], tmp_path: Path) -> dict[str, tuple[int, str, str, str, bool]]:
    """`_both` for ``actions ARGS``: what the workbook ``plan.xlsx`` holds
    (`tests.xlsx_content`; its bytes carry the time it was written), "" if none."""
    pytest.importorskip("openpyxl")
    from tests.xlsx_content import workbook_content

    def held(data: bytes) -> str:
        return workbook_content(data) if data else ""

    return _both(args, tmp_path, "actions", "plan.xlsx", held)


@pytest.mark.parametrize(
    ("args", "fast"),
    [
        (["{map}", "-o", "plan.xlsx"], True),
        (["--output=plan.xlsx", "{map}", "--owner", "department", "--force"], True),
        (["{dense}", "-o", "plan.xlsx"], True),
        (["{map}", "-o", "plan.xlsx", "--owner=function"], True),
        (["{waived}", "-o", "plan.xlsx"], True),
        (["{bad}", "-o", "plan.xlsx"], True),
        (["{missing}", "-o", "plan.xlsx"], True),
        (["{map}", "-o", "{map}", "--force"], True),
        (["{map}", "-o", "{existing}"], True),
        (["{map}", "-o", "plan.xlsx", "--theme", "{theme}"], False),
        (["{map}", "-o", "plan.xlsx", "--owner", "team"], False),
        (["{map}", "-o", "plan.xlsx", "-f", "csv"], False),
        (["{map}", "-oplan.xlsx"], False),
        (["{map}", "-o", "plan.xlsx", "--help"], False),
    ],
)  # fmt: skip
def test_actions_answered_by_the_entry_point_writes_what_the_command_line_writes(
    args: list[str], fast: bool, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\njourney: {id: j}\nstages: [{id: s}]\n", encoding="utf-8")
    existing = tmp_path / "existing.xlsx"
    existing.write_bytes(b"not a workbook")
    waived = tmp_path / "waived.yaml"
    waived.write_text((EXAMPLES / "helpdesk.yaml").read_text(encoding="utf-8") + WAIVED)
    given = {
        "map": str(EXAMPLES / "b2b-saas.yaml"),
        "dense": str(ROOT / "tests/fixtures/dense-300.yaml"),
        "waived": str(waived),
        "bad": str(bad),
        "existing": str(existing),
        "missing": str(tmp_path / "missing.yaml"),
        "theme": str(EXAMPLES / "themes/acme.yaml"),
    }
    runs = _both_plans([a.format(**given) for a in args], tmp_path)
    entry, typer_run = runs["entry"], runs["typer"]
    assert entry[:4] == typer_run[:4]
    failed = entry[0] == 2
    assert entry[4] is (not fast or failed), entry
    assert entry[0] in (0, 2)
    if fast and entry[0] == 0:
        assert entry[3].startswith("title "), entry


def test_actions_without_a_terminal_loads_no_command_line_library(tmp_path: Path) -> None:
    pytest.importorskip("openpyxl")
    args = [str(EXAMPLES / "b2b-saas.yaml"), "-o", str(tmp_path / "plan.xlsx")]
    probe = (
        run_entry("actions", *args)
        + "\nprint(sorted(m for m in ('typer', 'rich', 'journeygraph.cli') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "[]"
    assert "wrote " in done.stderr
    loaded = loaded_after(run_entry("actions", *args[:-1], str(tmp_path / "again.xlsx")))
    assert loaded == ["networkx", "openpyxl", "pydantic", "yaml"]


def test_the_entry_point_s_actions_options_are_the_command_s() -> None:
    """Each option the entry point takes is the command's, with the command's default."""
    import dataclasses

    import typer.main

    from journeygraph import _actions_command
    from journeygraph.cli import app
    from journeygraph.cli.common import ActionOwner

    command = typer.main.get_command(app).commands["actions"]  # type: ignore[attr-defined]
    options = {name: p for p in command.params for name in p.opts}
    defaults = {f.name: f.default for f in dataclasses.fields(_actions_command._Asked)}
    named = {"output": "output", "owner": "owner"}
    for name, key in _actions_command._OPTIONS.items():
        param = options[name]
        assert param.name == named[key], name
        default = param.default.value if hasattr(param.default, "value") else param.default
        if key != "output":  # the entry point answers only a workbook written to a file
            assert default == defaults[key], name
    assert [owner.value for owner in ActionOwner] == list(_actions_command._OWNERS)
    assert options["--force"].name == "force"
    assert options["--force"].default is False


def test_validate_does_not_load_importlib_metadata_for_pydantic_s_plugins() -> None:
    # pydantic's search for plugins imports importlib.metadata (email, zipfile, csv,
    # socket ...); with no plugin installed, the entry point answers it without.
    probe = (
        run_entry("validate", str(EXAMPLES / "b2b-saas.yaml"))
        + "\nprint(sorted(m for m in ('importlib.metadata', 'email', 'zipfile', 'difflib',"
        " 'shutil') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip().splitlines()[-1] == "[]"


PLUGIN = """
import sys


class Plugin:
    def new_schema_validator(self, schema, schema_type, *args, **kwargs):
        sys.stderr.write(f"plugin saw {schema_type.__name__}\\n")
        return None, None, None


plugin = Plugin()
"""


@pytest.mark.parametrize("entry", [True, False])
def test_an_installed_pydantic_plugin_is_used_as_always(entry: bool, tmp_path: Path) -> None:
    (tmp_path / "jg_probe_plugin.py").write_text(PLUGIN, encoding="utf-8")
    info = tmp_path / "jg_probe-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: jg-probe\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[pydantic]\nprobe = jg_probe_plugin:plugin\n")
    code = (run_entry if entry else run_cli)("validate", str(EXAMPLES / "b2b-saas.yaml"))
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), *sys.path])},
    )
    assert "plugin saw JourneyMap" in done.stderr, done.stderr
    assert ": valid (5 stages" in done.stderr


def test_the_plugin_files_read_are_the_ones_importlib_metadata_reads() -> None:
    from importlib.metadata import entry_points

    from journeygraph._plugins import plugins_declared

    assert plugins_declared() == bool(entry_points(group="pydantic"))


def test_audit_does_not_load_importlib_metadata_for_networkx_s_backends(tmp_path: Path) -> None:
    # networkx's search for backends at its import loads importlib.metadata (0.06 s);
    # with none installed, the entry point has it find none without.
    args = [str(EXAMPLES / "b2b-saas.yaml"), "-f", "json", "-o", str(tmp_path / "o.json")]
    probe = (
        run_entry("audit", *args)
        + "\nimport networkx.utils.backends as b"
        + "\nprint(sorted(m for m in ('importlib.metadata', 'email') if m in sys.modules),"
        " b.backends, b.backend_info, any('_NoBackends' in repr(f) for f in sys.meta_path))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip().splitlines()[-1] == "[] {} {'networkx': {}} False"
    # Any later import of importlib.metadata gets the real module.
    probe = (
        run_entry("audit", *args) + "\nimport importlib.metadata as m\nprint(m.version('networkx'))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip().splitlines()[-1][:1].isdigit()


def _audit_beside_a_package(tmp_path: Path, group: str, after: str, *, entry: bool) -> str:
    """The last line printed by ``after``, run once an audit ended, with an installed
    package declaring a networkx backend in entry-point ``group``."""
    info = tmp_path / "jg_backend-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: jg-backend\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(f"[{group}]\nprobe = jg_backend:interface\n")
    args = [str(EXAMPLES / "b2b-saas.yaml"), "-f", "json", "-o", str(tmp_path / "o.json")]
    code = (run_entry if entry else run_cli)("audit", *args) + "\n" + after
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), *sys.path])},
    )
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr


@pytest.mark.parametrize("entry", [True, False])
def test_an_installed_networkx_backend_is_found_as_always(entry: bool, tmp_path: Path) -> None:
    after = "import networkx.utils.backends as b\nprint(sorted(b.backends))"
    assert _audit_beside_a_package(tmp_path, "networkx.backends", after, entry=entry) == "['probe']"


def test_a_backend_under_networkx_s_earlier_group_name_leaves_its_search_alone(
    tmp_path: Path,
) -> None:
    # networkx 3.2 and 3.3 also read "networkx.plugins": a package declaring one there
    # has networkx search as always (with the real importlib.metadata).
    after = "print('importlib.metadata' in sys.modules)"
    assert _audit_beside_a_package(tmp_path, "networkx.plugins", after, entry=True) == "True"


def test_the_backend_files_read_are_the_ones_importlib_metadata_reads() -> None:
    from importlib.metadata import entry_points

    from journeygraph._plugins import _groups_declared

    groups = ("pydantic", "networkx.backends", "networkx.backend_info")
    found = [{e.name for e in entry_points(group=g)} - {"nx_loopback"} for g in groups]
    assert _groups_declared(groups) == [bool(names) for names in found]


def test_an_audit_with_findings_leaves_nothing_for_the_exit_s_collection(tmp_path: Path) -> None:
    # The audit exits 1 for its findings from within the entry point's answer: what it
    # built is frozen all the same, out of the full collection Python runs at exit.
    args = [str(EXAMPLES / "b2b-saas.yaml"), "-f", "json", "-o", str(tmp_path / "o.json")]
    probe = (
        "import gc, sys\nfrom journeygraph._start import main\n"
        f"sys.argv = ['journeygraph', 'audit', *{args!r}]\n"
        "try:\n    main()\nexcept SystemExit as done:\n    print(done.code)\n"
        "print(gc.get_freeze_count() > 10_000, gc.get_count()[0] < 100, gc.isenabled())"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.split() == ["1", "True", "True", "False"]


def test_discover_without_a_map_reads_no_package_s_entry_points(tmp_path: Path) -> None:
    # Neither pydantic nor networkx loads: the search for their plugins is not skipped
    # but never needed, and the packages' entry points are not read for it.
    args = [str(EXAMPLES / "b2b-saas-events.csv"), "-f", "json", "-o", str(tmp_path / "o.json")]
    probe = (
        "import journeygraph._plugins as p\ncalls = []\nreal = p._entry_points\n"
        "p._entry_points = lambda *a: calls.append(a) or real(*a)\n"
        + run_entry("discover", *args)
        + "\nprint(len(calls), sorted(m for m in ('pydantic', 'networkx') if m in sys.modules),"
        " any('_BeforeTheirImport' in repr(f) for f in sys.meta_path))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip().splitlines()[-1] == "0 [] True"
    # With a map, pydantic loads, and the search is skipped before it does, as always.
    probe = probe.replace("'-f'", f"'--map', {str(EXAMPLES / 'b2b-saas.yaml')!r}, '-f'")
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    last = done.stdout.strip().splitlines()[-1].split(" ", 1)
    assert int(last[0]) > 0
    assert "'pydantic'" in last[1]
    assert last[1].endswith("] False")


def _run(code: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    return done.stdout.strip().splitlines()


_NETWORKX_STATE = (
    "\nprint(sorted(m for m in ('networkx', 'networkx.classes', 'networkx.algorithms',"
    " 'networkx.readwrite') if m in sys.modules))"
)


def test_audit_loads_networkx_s_graph_classes_not_its_algorithms(tmp_path: Path) -> None:
    # `import networkx` loads every algorithm (0.17 to 0.27 s of CPU); the audit's graph
    # needs the classes only (journeygraph._networkx).
    args = [str(EXAMPLES / "mortgage.yaml"), "-f", "json", "-o", str(tmp_path / "o.json")]
    assert _run(run_entry("audit", *args) + _NETWORKX_STATE)[-1] == str(
        ["networkx", "networkx.classes"]
    )
    # The same findings as the command line's, which loads networkx whole.
    _run(run_cli("audit", *args[:-1], str(tmp_path / "cli.json")) + _NETWORKX_STATE)
    assert (tmp_path / "o.json").read_bytes() == (tmp_path / "cli.json").read_bytes()


def test_networkx_deferred_ends_with_the_names_of_a_plain_import() -> None:
    names = (
        "\nimport networkx as nx\nprint(sorted(vars(nx)))"
        "\nprint(nx.__getattr__.__code__.co_filename.endswith('__init__.py'))"
        "\nprint(type(nx.__loader__).__name__)"
    )
    plain = _run("import sys" + names)
    deferred = "from journeygraph._networkx import defer_the_algorithms\ndefer_the_algorithms()"
    # Any name the head does not hold runs the rest: here an algorithm.
    asked = _run(
        f"import sys\n{deferred}\nimport networkx\nnetworkx.strongly_connected_components"
        + _NETWORKX_STATE
        + names
    )
    assert asked[0] == str(
        ["networkx", "networkx.algorithms", "networkx.classes", "networkx.readwrite"]
    )
    assert asked[1:] == plain
    # `from networkx import ...` of a deferred name, and an algorithm that reads `nx.`.
    code = (
        f"{deferred}\nimport networkx as nx\nfrom networkx import relabel_nodes"
        "\nG = nx.MultiDiGraph([(1, 2), (2, 1)])"
        "\nprint(sorted(map(sorted, nx.strongly_connected_components(relabel_nodes(G, str)))))"
    )
    assert _run(code) == ["[['1', '2']]"]


def test_a_command_the_command_line_runs_finds_networkx_whole() -> None:
    # The entry point defers networkx's algorithms for `audit` and `validate`; one it hands
    # to the command line (here `--help`) loads the rest first, and defers nothing after.
    code = run_entry("audit", "--help") + _NETWORKX_STATE + "\nimport networkx" + _NETWORKX_STATE
    state = _run(code)[-2:]
    assert state[-1] == str(
        ["networkx", "networkx.algorithms", "networkx.classes", "networkx.readwrite"]
    )


def test_the_installed_networkx_is_deferred_where_journeygraph_expects() -> None:
    # Another networkx __init__ would be imported whole: right, but the audit's time lost.
    import importlib.util

    from journeygraph._networkx import _split

    spec = importlib.util.find_spec("networkx")
    assert spec is not None
    assert spec.origin is not None
    source = Path(spec.origin).read_text(encoding="utf-8")
    parts = _split(source)
    assert parts is not None
    head, rest = parts
    assert "from networkx.classes import *" in head
    assert "algorithms" not in head
    # The rest keeps the file's line numbers (blank lines in the head's place).
    assert head + rest[head.count("\n") :] == source
