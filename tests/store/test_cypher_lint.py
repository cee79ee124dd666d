"""Neo4j's own Cypher analyser (scripts/lint-cypher) on the shipped queries and on broken ones."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from journeygraph.store import library
from tests.conftest import ROOT

LINT = ROOT / "scripts" / "lint-cypher"


def _lint(*files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(LINT), *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )


def test_every_shipped_query_passes_the_analyser() -> None:
    done = _lint()
    assert done.returncode == 0, done.stdout + done.stderr
    # The schema files are linted statement by statement.
    schemas = ("schema", "migrate/schema")
    count = len(library.names()) - len(schemas)
    count += sum(len(library.statements(library.query(name).text)) for name in schemas)
    assert f"cypher-lint: {count} queries, 0 problems" in done.stdout


BROKEN = {
    "label": (
        "MATCH (t:TouchPoint {journey: $journey}) RETURN t.id AS id",
        "4:10: warning: Label TouchPoint",
    ),
    "property": (
        "MATCH (t:Touchpoint {journey: $journey}) RETURN t.idd AS id",
        "4:51: warning: idd is not",
    ),
    "direction": (
        "MATCH (t:Touchpoint {journey: $journey})<-[:IN_STAGE]-(:Stage) RETURN t.id AS id",
        "warning: [:IN_STAGE] has no outgoing (:Touchpoint)",
    ),
    "type": ("MATCH (t:Touchpoint {journey: $journey})-[:NXT]->() RETURN t.id AS id", "NXT"),
    "parameter": (
        "MATCH (t:Touchpoint {journey: $journey}) RETURN t.id AS id, $other",
        "$other is not defined",
    ),
    "variable": (
        "MATCH (t:Touchpoint {journey: $journey}) RETURN u.id AS id",
        "error: Variable `u` not defined",
    ),
    "deprecated": ("MATCH (t:Touchpoint {journey: $journey}) RETURN id(t) AS id", "deprecated"),
    "syntax": ("MATCH (t:Touchpoint {journey: $journey} RETURN t.id AS id", "error"),
}


def test_the_analyser_catches_each_mistake(tmp_path: Path) -> None:
    files = []
    for name, (body, _) in BROKEN.items():
        query = tmp_path / f"{name}.cypher"
        query.write_text(
            "// Answers: a test.\n// Parameters: $journey (journey id).\n// Returns: id.\n"
            + body
            + "\n",
            encoding="utf-8",
        )
        files.append(query)
    done = _lint(*files)
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    for name, (_, expected) in BROKEN.items():
        mine = [line for line in lines if line.startswith(f"{tmp_path / name}.cypher:")]
        assert any(expected in line for line in mine), (name, mine)
        # Each query is analysed as Cypher 5 and as Cypher 25.
        assert {line.rsplit("(", 1)[-1] for line in mine} == {"CYPHER 5)", "CYPHER 25)"}, mine


def test_headers_must_declare_what_queries_use(tmp_path: Path) -> None:
    query = tmp_path / "unused.cypher"
    query.write_text(
        "// Parameters: $journey (journey id), $limit (rows).\n"
        "MATCH (t:Touchpoint {journey: $journey}) RETURN t.id AS id\n",
        encoding="utf-8",
    )
    done = _lint(query)
    assert done.returncode == 1
    assert f"{query}:1:1: the header has no 'Answers:' line" in done.stdout
    assert f"{query}:1:1: parameter $limit is declared but never used" in done.stdout


def test_every_explore_query_with_parameters_sets_them_for_browser() -> None:
    import re

    from journeygraph.store import library

    for q in library.queries("explore"):
        if not q.parameters:
            assert not q.browser, q.name
            continue
        match = re.fullmatch(r":params \{(.*)\}", q.browser)
        assert match, f"{q.name}: no ':params {{...}}' Browser line"
        keys = re.findall(r"(?:^|,)\s*([A-Za-z_]\w*)\s*:", match.group(1))
        assert sorted(keys) == sorted(q.parameters), q.name
