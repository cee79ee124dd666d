"""A command that needs a library of an extra the install left out says what to install.

Nothing is uninstalled from the test environment: each command runs in a
subprocess whose ``sitecustomize`` puts a finder first on ``sys.meta_path``
that refuses the hidden libraries, as Python does for a missing one.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from journeygraph.extras import EXTRAS, MissingExtraError, missing_extra, optional
from tests.conftest import EXAMPLES, ROOT

HIDER = """\
import os, sys

HIDDEN = set(os.environ["JOURNEYGRAPH_TEST_HIDE"].split(","))


class Hider:
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in HIDDEN:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


sys.meta_path.insert(0, Hider())
"""

MAP = str(EXAMPLES / "b2b-saas.yaml")
LOG = str(EXAMPLES / "b2b-saas-events.csv")

# (hidden libraries, the extra the message names, the command; {out} is a scratch folder)
CASES = [
    ("duckdb", "logs", ["discover", LOG]),
    ("duckdb", "logs", ["report", MAP, "--log", LOG, "-o", "{out}/report"]),
    ("lxml", "logs", ["discover", str(EXAMPLES / "helpdesk.xes.gz")]),
    ("openpyxl", "xlsx", ["actions", MAP, "-o", "{out}/plan.xlsx"]),
    ("openpyxl", "xlsx", ["export", MAP, "-o", "{out}/book.xlsx"]),
    ("jinja2", "report", ["report", MAP, "-o", "{out}/report"]),
    ("pptx", "report", ["report", MAP, "-o", "{out}/report", "--pptx"]),
    ("matplotlib", "report", ["render", MAP, "--view", "canvas", "-o", "{out}/c.svg"]),
    ("neo4j", "neo4j", ["neo4j", "list", "--uri", "bolt://127.0.0.1:1"]),
    ("starlette,uvicorn", "serve", ["serve", MAP, "--port", "0"]),
    ("pyspark", "spark", ["discover", "--engine", "spark", LOG]),
]


def run_hiding(hidden: str, args: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(HIDER, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(site), "JOURNEYGRAPH_TEST_HIDE": hidden}
    env.pop("JOURNEYGRAPH_DEBUG", None)
    out = tmp_path / "out"
    out.mkdir()
    argv = [a.replace("{out}", str(out)) for a in args]
    return subprocess.run(
        [sys.executable, "-m", "journeygraph", *argv],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=ROOT,
        check=False,
    )


@pytest.mark.parametrize(
    ("hidden", "extra", "args"), CASES, ids=[f"{c[1]}-{c[2][0]}-{c[0]}" for c in CASES]
)
def test_a_missing_extra_is_named_with_its_install_line(
    hidden: str, extra: str, args: list[str], tmp_path: Path
) -> None:
    done = run_hiding(hidden, args, tmp_path)
    assert done.returncode == 2, done.stderr
    assert f"pip install 'journeygraph[{extra}]'" in done.stderr
    assert "Traceback" not in done.stderr
    assert "internal error" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert list((tmp_path / "out").iterdir()) == []  # nothing half-written


def test_the_hider_hides_only_what_it_is_told() -> None:
    # The same command with nothing hidden gets past the import (the control).
    done = subprocess.run(
        [sys.executable, "-m", "journeygraph", "discover", LOG],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        check=False,
    )
    assert "pip install" not in done.stderr
    assert done.returncode in (0, 1), done.stderr


def test_every_extra_of_pyproject_is_one_the_messages_name() -> None:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    section = text.split("[project.optional-dependencies]", 1)[1].split("\n[", 1)[0]
    declared = set(re.findall(r"^([a-z0-9]+) = ", section, flags=re.MULTILINE))
    named = {extra for extra, _ in EXTRAS.values()}
    assert named <= declared
    assert declared - named == {"all", "dev"}
    # Every library the messages name is in the extra they name (and not in the core).
    core = text.split("dependencies = [", 1)[1].split("]", 1)[0]
    for module, (extra, package) in EXTRAS.items():
        block = section.split(f"\n{extra} = [", 1)[1].split("]", 1)[0]
        assert f'"{package}' in block or module == "markupsafe", (module, extra)
        assert f'"{package}' not in core, module


def test_missing_extra_reads_only_the_libraries_of_extras() -> None:
    err = missing_extra(
        ModuleNotFoundError("No module named 'openpyxl.styles'", name="openpyxl.styles")
    )
    assert isinstance(err, MissingExtraError)
    assert (err.module, err.extra) == ("openpyxl", "xlsx")
    assert missing_extra(ModuleNotFoundError("No module named 'yaml'", name="yaml")) is None
    assert missing_extra(ImportError("cannot import name 'x'", name="duckdb")) is None


def test_optional_raises_the_extra_only_for_an_extra() -> None:
    assert optional("json").__name__ == "json"
    with pytest.raises(ModuleNotFoundError) as raised:
        optional("no_such_module_of_journeygraph")
    assert not isinstance(raised.value, MissingExtraError)


def test_the_library_raises_the_extra_too(tmp_path: Path) -> None:
    # Python callers get MissingExtraError (a JourneyGraphError) from the library's
    # entry points that need an extra, not a bare ModuleNotFoundError.
    probe = (
        "import journeygraph\n"
        "from journeygraph.extras import MissingExtraError\n"
        "from journeygraph.io.workbook import write_workbook\n"
        f"m = journeygraph.load({MAP!r})\n"
        "try:\n"
        f"    write_workbook(m, {str(tmp_path / 'book.xlsx')!r})\n"
        "except MissingExtraError as err:\n"
        "    print(err.extra)\n"
    )
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(HIDER, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(site), "JOURNEYGRAPH_TEST_HIDE": "openpyxl"}
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, env=env
    )
    assert done.stdout.strip() == "xlsx", done.stderr
    assert not (tmp_path / "book.xlsx").exists()


# (hidden library, the extra named, a library call that needs it); m is the B2B map,
# r its audit, out a scratch folder.
LIBRARY_CASES = [
    ("duckdb", "logs", f"from journeygraph.evidence import read_log; read_log({LOG!r})"),
    (
        "lxml",
        "logs",
        "from journeygraph.evidence import read_log; "
        f"read_log({str(EXAMPLES / 'helpdesk.xes.gz')!r})",
    ),
    ("numpy", "logs", "from journeygraph.evidence import expectations"),
    (
        "openpyxl",
        "xlsx",
        "from journeygraph.actions import action_plan\n"
        "from journeygraph.report.actions_format import actions_xlsx\n"
        "actions_xlsx(action_plan(m, r), title='t')",
    ),
    ("jinja2", "report", "from journeygraph.report.writer import write_report"),
    ("markupsafe", "report", "from journeygraph.report.html_report import html_report"),
    (
        "matplotlib",
        "report",
        "from journeygraph.render.journey_canvas import journey_canvas; journey_canvas(m, r)",
    ),
    (
        "PIL",
        "report",
        "from journeygraph.render.journey_canvas import journey_canvas\njourney_canvas(m, r)",
    ),
    (
        "matplotlib",
        "report",
        "from journeygraph.render.emotion import emotion_svg\n"
        "emotion_svg(journeygraph.load('examples/mortgage.yaml'))",
    ),
    (
        "pptx",
        "report",
        "from journeygraph.report.writer import write_report\n"
        "write_report([m], [r], out / 'report', pptx=True)",
    ),
    (
        "pypdf",
        "report",
        "from journeygraph.report.writer import write_report\n"
        "write_report([m], [r], out / 'report', pdf=True)",
    ),
    ("neo4j", "neo4j", "import journeygraph.store.driver"),
    ("starlette", "serve", "from journeygraph.serve import serve; serve([])"),
    ("uvicorn", "serve", "from journeygraph.serve import serve; serve([])"),
    ("starlette", "serve", "from journeygraph.serve.app import create_app; create_app(None)"),
]


@pytest.mark.parametrize(
    ("hidden", "extra", "call"),
    LIBRARY_CASES,
    ids=[f"{c[0]}-{c[2].split()[1]}" for c in LIBRARY_CASES],
)
def test_each_library_function_names_its_missing_extra(
    hidden: str, extra: str, call: str, tmp_path: Path
) -> None:
    # A Python caller without the extra gets MissingExtraError naming the install
    # line, from the import or the call, never a bare ModuleNotFoundError.
    out = tmp_path / "out"
    out.mkdir()
    probe = (
        "from pathlib import Path\n"
        "import journeygraph\n"
        "from journeygraph.extras import MissingExtraError\n"
        f"m = journeygraph.load({MAP!r}); r = journeygraph.audit(m); out = Path({str(out)!r})\n"
        "try:\n" + "".join(f"    {line}\n" for line in call.splitlines()) + "except "
        "MissingExtraError as err:\n"
        "    print(err.extra, err.module, str(err).rpartition(': ')[2], sep='|')\n"
    )
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(HIDER, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(site), "JOURNEYGRAPH_TEST_HIDE": hidden}
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == (
        f"{extra}|{hidden}|pip install 'journeygraph[{extra}]' installs it"
    ), done.stderr
    assert list(out.iterdir()) == []  # nothing written before the message


# Each way a process may first come to openpyxl: the action plan's workbook, its rows
# alone, a map's workbook written or read, and the commands that do so.
FIRST_OPENPYXL = [
    "from journeygraph.report.xlsx_rows import rows_xml; rows_xml([[1]], [[0]])",
    "from journeygraph.actions import action_plan\n"
    "from journeygraph.report.actions_format import actions_xlsx\n"
    "actions_xlsx(action_plan(m, journeygraph.audit(m)), title='t')",
    "from journeygraph.io.workbook import write_workbook; write_workbook(m, out / 'b.xlsx')",
    "from journeygraph.io.workbook import read_workbook; read_workbook(out / 'map.xlsx')",
    "from journeygraph.cli import main\n"
    "sys.argv = ['journeygraph', 'actions', MAP, '-o', str(out / 'p.xlsx')]\n"
    "try:\n    main()\nexcept SystemExit:\n    pass",
    "from journeygraph.cli import main\n"
    "sys.argv = ['journeygraph', 'export', MAP, '-o', str(out / 'b.xlsx')]\n"
    "try:\n    main()\nexcept SystemExit:\n    pass",
]


@pytest.mark.parametrize("first", FIRST_OPENPYXL, ids=range(len(FIRST_OPENPYXL)))
@pytest.mark.parametrize("switch", [None, "True"], ids=["default", "OPENPYXL_LXML=True"])
def test_openpyxl_writes_through_one_writer_whichever_import_comes_first(
    first: str, switch: str | None, tmp_path: Path
) -> None:
    # ElementTree, unless openpyxl's own switch says lxml: the same in every process.
    from journeygraph import load
    from journeygraph.io.workbook import write_workbook

    write_workbook(load(MAP), tmp_path / "map.xlsx")
    probe = (
        "import sys\nfrom pathlib import Path\nimport journeygraph\n"
        f"MAP = {MAP!r}; m = journeygraph.load(MAP); out = Path({str(tmp_path)!r})\n"
        f"{first}\n"
        "from openpyxl.xml import LXML\nprint('lxml' if LXML else 'ElementTree')\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "OPENPYXL_LXML"}
    if switch is not None:
        env["OPENPYXL_LXML"] = switch
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, env=env
    )
    assert done.returncode == 0, done.stderr
    expected = "lxml" if switch else "ElementTree"
    assert done.stdout.strip().splitlines()[-1] == expected


def test_every_function_that_imports_openpyxl_chooses_its_writer_first() -> None:
    # openpyxl's writer is chosen by optional() before its first import; a function
    # importing it without that call first could be the process's first import.
    for path in sorted((ROOT / "src" / "journeygraph").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            chosen = False
            for node in function.body:
                if _calls_optional_openpyxl(node):
                    chosen = True
                imports = [n for n in ast.walk(node) if isinstance(n, ast.Import | ast.ImportFrom)]
                for found in imports:
                    names = (
                        [found.module or ""]
                        if isinstance(found, ast.ImportFrom)
                        else [a.name for a in found.names]
                    )
                    if any(n.partition(".")[0] == "openpyxl" for n in names):
                        where = f"{path.relative_to(ROOT)}:{found.lineno}"
                        assert chosen, f"{where} imports openpyxl before optional('openpyxl')"


def _calls_optional_openpyxl(node: ast.AST) -> bool:
    return any(
        isinstance(n, ast.Call)
        and isinstance(n.func, ast.Name)
        and n.func.id == "optional"
        and n.args
        and isinstance(n.args[0], ast.Constant)
        and str(n.args[0].value).partition(".")[0] == "openpyxl"
        for n in ast.walk(node)
    )
