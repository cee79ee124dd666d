"""Every command example in the README and docs/ runs, and ends as the page says.

An example is a fenced ``sh``, ``shell``, ``bash`` or ``console`` block; its
commands are its lines starting with ``journeygraph`` (``$ journeygraph`` in a
``console`` block, whose other lines are output). HTML comments on the lines
just above the fence say more (CONTRIBUTING.md documents them):

- ``<!-- exit: 1 -->``: every command exits 1; ``<!-- exit: 0 1 0 -->``: one
  code per command, in order. Without it, every command exits 0.
- ``<!-- needs: neo4j -->`` (or ``browser``, ``spark``): run under that pytest
  marker; a ``neo4j`` example runs against the test server, its address and
  login given as ``NEO4J_URI``, ``NEO4J_USERNAME``, ``NEO4J_PASSWORD`` and
  ``NEO4J_DATABASE``, in place of the block's ``export`` line.
- ``<!-- not run: REASON -->``: not run (a cluster the tests cannot have).

Each block runs in a temporary folder holding a copy of ``examples/`` and
``docs/examples/``, so the pages' relative paths resolve and nothing in the
repository is written. ``journeygraph`` commands run in-process (typer's
runner: the exit code and standard error as a user gets them, and no
traceback); the block's other lines (``cp``, ``gzip``) run in bash, in order.
``serve`` never ends: it runs as a process on a free port until it prints its
address.
"""

from __future__ import annotations

import glob
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from journeygraph.cli import app
from tests.conftest import ROOT

PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
SHELLS = {"sh", "shell", "bash", "console"}
NEEDS = {"neo4j", "browser", "spark"}
SERVE_SECONDS = 60
_MARKER = re.compile(r"<!--\s*(exit|needs|not run):\s*(.*?)\s*-->")


@dataclass(frozen=True)
class Example:
    """One fenced block of shell commands on a page."""

    page: Path
    line: int
    """The line of the opening fence (from 1)."""
    lines: tuple[str, ...]
    """The block's shell lines, continuations joined (output and comments left out)."""
    markers: tuple[tuple[str, str], ...]

    @property
    def name(self) -> str:
        return f"{self.page.relative_to(ROOT)}:{self.line}"

    @property
    def commands(self) -> list[str]:
        return [line for line in self.lines if line.startswith("journeygraph ")]

    def marker(self, key: str) -> str | None:
        return next((value for k, value in self.markers if k == key), None)

    def exits(self) -> list[int]:
        """The exit code each command is to end with."""
        codes = [int(code) for code in (self.marker("exit") or "0").split()]
        if len(codes) == 1:
            return codes * len(self.commands)
        return codes


def examples(page: Path) -> Iterator[Example]:
    """The blocks of ``page`` with at least one ``journeygraph`` command."""
    text = page.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(text):
        fence = re.match(r"\s*```(\w*)\s*$", text[i])
        if not fence:
            i += 1
            continue
        start, info = i, fence.group(1)
        i += 1
        body: list[str] = []
        while not re.match(r"\s*```\s*$", text[i]):
            body.append(text[i].strip())
            i += 1
        i += 1
        if info not in SHELLS:
            continue
        example = Example(page, start + 1, tuple(_shell_lines(body, info)), _markers(text, start))
        if example.commands:
            yield example


def _shell_lines(body: list[str], info: str) -> Iterator[str]:
    joined: str | None = None
    for line in body:
        if joined is None and info == "console":
            if not line.startswith("$ "):
                continue  # output
            line = line[2:]
        if line.endswith("\\"):
            joined = (joined or "") + line[:-1]
            continue
        line = (joined or "") + line
        joined = None
        if line and not line.startswith("#"):
            yield line


def _markers(text: list[str], fence: int) -> tuple[tuple[str, str], ...]:
    found = []
    above = fence - 1
    while above >= 0 and (match := _MARKER.fullmatch(text[above].strip())):
        found.append((match.group(1), match.group(2)))
        above -= 1
    return tuple(found)


EXAMPLES = [example for page in PAGES for example in examples(page)]
RUN = [example for example in EXAMPLES if example.marker("not run") is None]


def _param(example: Example) -> Any:
    needs = example.marker("needs")
    marks = [getattr(pytest.mark, needs)] if needs in NEEDS else []
    return pytest.param(example, id=example.name, marks=marks)


@pytest.fixture
def sandbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with the examples the pages name, as the working directory."""
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    shutil.copytree(ROOT / "docs" / "examples", tmp_path / "docs" / "examples")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("example", [_param(example) for example in RUN])
def test_the_example_runs(example: Example, sandbox: Path, request: pytest.FixtureRequest) -> None:
    env: dict[str, str | None] = {}
    if example.marker("needs") == "neo4j":
        env = _neo4j_environment(request)
    codes = iter(example.exits())
    for line in example.lines:
        if line.startswith("journeygraph serve "):
            _serve(line, sandbox)
            next(codes)
        elif line.startswith("journeygraph "):
            _run(line, next(codes), env)
        elif not line.startswith("export "):
            done = subprocess.run(["bash", "-c", line], cwd=sandbox, capture_output=True, text=True)
            assert done.returncode == 0, f"{line}\n{done.stderr}"


def _run(line: str, expected: int, env: dict[str, str | None]) -> None:
    assert not set(line.split("#")[0]) & set("|;&<>`"), f"no shell syntax in commands: {line}"
    arguments = []
    for argument in shlex.split(line, comments=True)[1:]:
        matches = sorted(glob.glob(argument)) if set(argument) & set("*?[") else []
        arguments.extend(matches or [argument])
    result = CliRunner().invoke(app, arguments, env=env)
    said = result.stdout + result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"{line} raised {result.exception!r}\n{said}") from result.exception
    assert "Traceback" not in said, f"{line}\n{said}"
    assert result.exit_code == expected, f"{line}: exit {result.exit_code}\n{said}"


def _serve(line: str, sandbox: Path) -> None:
    """Start ``serve`` on a free port, wait for the address it prints, then stop it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = str(probe.getsockname()[1])
    arguments = shlex.split(line, comments=True)[1:]
    arguments[arguments.index("--port") + 1] = port
    host = arguments[arguments.index("--host") + 1] if "--host" in arguments else "127.0.0.1"
    server = subprocess.Popen(
        [sys.executable, "-m", "journeygraph", *arguments],
        cwd=sandbox,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        said = _first_address(server)
    finally:
        server.terminate()
        server.wait(timeout=SERVE_SECONDS)
    assert re.search(rf"http://{re.escape(host)}:{port}/\?token=\S+", said), said
    assert "Traceback" not in said, said


def _first_address(server: subprocess.Popen[str]) -> str:
    assert server.stdout is not None
    said = ""
    deadline = time.monotonic() + SERVE_SECONDS
    while time.monotonic() < deadline:
        line = server.stdout.readline()
        said += line
        if "http://" in line or not line:
            break
    return said


def _neo4j_environment(request: pytest.FixtureRequest) -> dict[str, str | None]:
    from journeygraph.store.driver import connect
    from tests.store.test_neo4j_server import _SCRATCH, _empty

    settings = request.getfixturevalue("neo4j_settings")
    with connect(settings) as store:
        (row,) = store.run(
            "RETURN count { MATCH (n) WHERE NOT n:JourneyGraph } AS others, "
            "count { MATCH (s:JourneyGraphTestScratch) } AS scratch",
            {},
        )
        assert row["scratch"] or not row["others"], f"{settings.shown} is not a scratch database"
        store.run(_SCRATCH, {})
        _empty(store)
    request.addfinalizer(lambda: _empty_again(settings))
    return {
        "NEO4J_URI": settings.uri,
        "NEO4J_USERNAME": settings.user,
        "NEO4J_PASSWORD": settings.password,
        "NEO4J_DATABASE": settings.database,
    }


def _empty_again(settings: Any) -> None:
    from journeygraph.store.driver import connect
    from tests.store.test_neo4j_server import _empty

    with connect(settings) as store:
        _empty(store)


def test_the_pages_hold_examples_of_every_kind() -> None:
    """The extraction finds the examples the pages hold (it cannot pass on none)."""
    found = {
        (example.page.name, " ".join(shlex.split(command, comments=True)))
        for example in EXAMPLES
        for command in example.commands
    }
    assert ("README.md", "journeygraph audit examples/b2b-saas.yaml") in found
    assert ("commands.md", "journeygraph audit docs/examples/broken.yaml") in found
    assert any(page == "neo4j.md" and "neo4j push" in command for page, command in found)
    assert len(found) >= 30
    assert {example.marker("needs") for example in EXAMPLES} >= NEEDS


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda example: example.name)
def test_the_markers_fit_the_example(example: Example) -> None:
    """One exit code per command (or one for all), known needs, and a reason not to run."""
    assert len(example.exits()) == len(example.commands)
    assert example.marker("needs") in {None, *NEEDS}
    assert example.marker("not run") != ""


def test_a_page_example_is_parsed_as_documented(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "<!-- needs: browser -->\n<!-- exit: 2 0 -->\n```console\n"
        "$ journeygraph audit docs/examples/broken.yaml\nbroken.yaml:11:5: unknown key\n"
        "$ cp a \\\n  b\n$ journeygraph validate examples/b2b-saas.yaml\n```\n"
        "```yaml\njourneygraph: not a command\n```\n"
        "```sh\n# journeygraph commented out\nls\n```\n",
        encoding="utf-8",
    )
    (example,) = examples(page)
    assert example.lines == (
        "journeygraph audit docs/examples/broken.yaml",
        "cp a b",
        "journeygraph validate examples/b2b-saas.yaml",
    )
    assert example.exits() == [2, 0]
    assert example.marker("needs") == "browser"
    assert os.fspath(example.page) == os.fspath(page)
