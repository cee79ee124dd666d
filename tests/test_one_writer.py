"""Every output goes through its one writer: a new output cannot bypass them.

The behaviour is checked on hostile names in ``tests/test_hostile_outputs.py``;
this test keeps the next output from writing CSV, JSON or Markdown on its own.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGE = ROOT / "src" / "journeygraph"

# (what, pattern, the modules allowed to use it, why)
BYPASSES = [
    (
        "a CSV writer other than journeygraph.tabular.csv_text",
        re.compile(r"\bcsv\.(writer|DictWriter)\("),
        # Event logs in DuckDB's intermediate files: read by DuckDB, never by a person.
        {
            "tabular.py",
            "evidence/reading/xes.py",
            "evidence/reading/xes_events.py",
            "evidence/reading/xes_parallel.py",
            "evidence/reading/log.py",
            "evidence/reading/ocel.py",
        },
    ),
    (
        "JSON for people written without journeygraph.escape.json_text",
        re.compile(r"\bjson\.dumps\("),
        # Values inside other formats (GraphML attributes, Neo4j properties, a cell),
        # the JSON Schema and the Bloom perspective (no user text), and lookups.
        {
            "escape.py",
            "io/graphml.py",
            "io/workbook.py",
            "store/rows.py",
            "store/bloom.py",
            "docs.py",
            "report/csv_format.py",
            "report/sarif_format.py",
            "evidence/reading/ocel.py",
        },
    ),
    (
        "a Markdown escaper other than journeygraph.escape.markdown",
        re.compile(r"def (md|_md|markdown_escape|escape_md)\("),
        {"docs.py"},
    ),
]


def _sources() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize(("what", "pattern", "allowed"), BYPASSES, ids=[b[0] for b in BYPASSES])
def test_no_output_bypasses_its_writer(
    what: str, pattern: re.Pattern[str], allowed: set[str]
) -> None:
    found = [
        f"{path.relative_to(PACKAGE)}:{n}"
        for path in _sources()
        if path.relative_to(PACKAGE).as_posix() not in allowed
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if pattern.search(line)
    ]
    assert found == [], f"{what}: {found}"


def test_the_allowed_places_still_exist() -> None:
    # An allowance for a module that is gone would let the next one through unseen.
    for _, _, allowed in BYPASSES:
        for name in allowed:
            assert (PACKAGE / name).is_file(), name
