"""Shared helpers: building maps from small YAML fragments."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from journeygraph.extras import _choose_openpyxl_writer

# openpyxl's writer chosen as a user's process chooses it, before any test module
# imports openpyxl: every test sees the workbooks journeygraph writes, in whatever
# order the suite imports its modules.
_choose_openpyxl_writer()

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def pdf_page_text(pdf: Path, number: int) -> str:
    """The text of page ``number`` (from 1) of ``pdf``, by poppler-utils' pdftotext."""
    import subprocess

    return subprocess.run(
        ["pdftotext", "-f", str(number), "-l", str(number), str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def generated_map(folder: Path, touchpoints: int = 150, functions: int = 30) -> Path:
    """A benchmark map (``benchmarks/generate.py``) written into ``folder``."""
    import subprocess
    import sys

    out = folder / f"generated-{touchpoints}.yaml"
    script = ROOT / "benchmarks" / "generate.py"
    subprocess.run(
        [sys.executable, str(script), str(touchpoints), str(functions), str(out)], check=True
    )
    return out


def line_of(path: Path, text: str) -> int:
    """The number of the line of ``path`` that reads ``text`` (indentation aside)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if line.strip() == text)


def write_map(path: Path, text: str) -> Path:
    """Write a map file from a fragment without ``version`` and ``journey`` (id ``j``)."""
    path.write_text("version: 1\njourney: {id: j}\n" + text, encoding="utf-8")
    return path


@pytest.fixture
def chdir_root(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run from the repository root, where examples/ is."""
    monkeypatch.chdir(ROOT)
    return ROOT


@pytest.fixture
def browser_page() -> Iterator[tuple[Any, list[Any], list[str]]]:
    """A page in headless Debian Chromium, with its console messages and requests."""
    from playwright.sync_api import sync_playwright

    from journeygraph.report.browser import BROWSER_FLAGS, find_browser

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=find_browser(), args=[f for f in BROWSER_FLAGS if f != "--headless"]
        )
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        console: list[Any] = []
        requests: list[str] = []
        page.on("console", lambda message: console.append(message))
        page.on("request", lambda request: requests.append(request.url))
        try:
            yield page, console, requests
        finally:
            browser.close()


@pytest.hookimpl(tryfirst=True)  # the groups marked before pytest-xdist reads them
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked ``neo4j`` run against a real server: always in CI, else when one can be had.

    The server is the one ``scripts/setup`` builds (started by :func:`neo4j_settings`;
    ``NEO4J_TEST_SERVER=5.26|newest`` picks the build), or ``NEO4J_TEST_URI``. Outside
    CI, without either, they are skipped and say why.
    """
    from tests import neo4j_server

    try:
        build = neo4j_server.selected()
    except neo4j_server.NoServerError as err:
        raise pytest.UsageError(str(err)) from None
    # On two workers (pytest-xdist, ``--dist loadgroup``) the tests of the shared server
    # all go to one of them, so one server is started, not two.
    for item in items:
        if "neo4j" in item.keywords or "neo4j_settings" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.xdist_group("neo4j-server"))
    _name_xdist_groups(config, items)
    if os.environ.get("CI") or neo4j_server.built() or neo4j_server.own_server():
        return
    skip = pytest.mark.skip(
        reason=f"no Neo4j {build.name} test server: run `make setup` (Maven, "
        "and Java 17 for 5.26, Java 21 or later for newest), or set NEO4J_TEST_URI"
    )
    for item in items:
        if "neo4j" in item.keywords:
            item.add_marker(skip)


def _name_xdist_groups(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Give each test of an ``xdist_group`` the node id ``--dist loadgroup`` groups by.

    pytest-xdist's worker appends ``@group`` to the id by setting ``item._nodeid``;
    since pytest 9.2 the id is read from ``item._id``, so without this every group
    was silently spread over both workers (each started its own Neo4j server).
    """
    if not config.getoption("loadgroup", default=False):
        return
    try:
        from _pytest.nodeid import NodeId
    except ImportError:  # an earlier pytest: xdist's own suffix takes
        return
    for item in items:
        marks = item.iter_markers("xdist_group")
        names = sorted(
            {str(m.args[0] if m.args else m.kwargs.get("name", "default")) for m in marks}
        )
        if names and not item.nodeid.endswith(suffix := "@" + "_".join(names)):
            item._id = NodeId.parse(item.nodeid + suffix)


@pytest.fixture(scope="session")
def neo4j_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Settings for a Neo4j server the tests may empty: started here, or NEO4J_TEST_URI."""
    from tests import neo4j_server

    own = neo4j_server.own_server()
    if own is not None:
        yield own
        return
    try:
        with neo4j_server.start(tmp_path_factory.mktemp("neo4j") / "data") as settings:
            yield settings
    except neo4j_server.NoServerError as err:
        pytest.fail(str(err))
