"""One runner for every conformance check's case file in tests/evidence/cases/<check>.yaml.

A case gives a map fragment, a log (CSV rows ``case,touchpoint,time``; the
header is added, so the first row is line 2) and the exact findings of that
check: entities in order, severity, ``line`` in the map, and any detail.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from journeygraph.evidence import compare, discover, read_log
from journeygraph.evidence.rules import evidence_registry
from tests.conftest import fragment

CASES = Path(__file__).parent / "cases"


def _cases() -> list[Any]:
    params = []
    for file in sorted(CASES.glob("*.yaml")):
        spec = yaml.safe_load(file.read_text(encoding="utf-8"))
        for case in spec["cases"]:
            params.append(pytest.param(spec["rule"], case, id=f"{spec['rule']}:{case['name']}"))
    return params


@pytest.mark.parametrize(("rule_id", "case"), _cases())
def test_check_case(rule_id: str, case: dict[str, Any], tmp_path: Path) -> None:
    m = fragment(case["map"])
    log = tmp_path / "events.csv"
    log.write_text("case_id,touchpoint,timestamp\n" + case["log"], encoding="utf-8")
    evidence = compare(m, discover(read_log(log)))
    found = [f for f in evidence.conformance.findings if f.rule == rule_id]
    expected = case["findings"]
    assert [list(f.entities) for f in found] == [e["entities"] for e in expected], found
    for got, want in zip(found, expected, strict=True):
        for key, value in want.items():
            if key == "entities":
                continue
            if key == "line":
                actual: Any = got.location.line if got.location else None
            elif key == "severity":
                actual = got.severity.value
            else:
                actual = got.details[key]
            assert actual == value, f"{key} of {got.entities}: {actual!r} != {value!r}"


def test_every_check_has_passing_and_failing_cases() -> None:
    assert {f.stem for f in CASES.glob("*.yaml")} == set(evidence_registry.ids())
    for rule in evidence_registry:
        cases = yaml.safe_load((CASES / f"{rule.id}.yaml").read_text(encoding="utf-8"))["cases"]
        assert any(not c["findings"] for c in cases), f"{rule.id} has no passing case"
        assert any(c["findings"] for c in cases), f"{rule.id} has no failing case"
