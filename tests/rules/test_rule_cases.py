"""One runner for every rule's case file in tests/rules/cases/<rule-id>.yaml.

A case gives a map fragment (``version`` and ``journey`` are added after it, so
line numbers are those of the fragment), optionally an audit ``config``, and the
exact findings of that rule: entities, severity, and any other key the finding
must have (``line``, ``kind``, ``cycle``, ...). ``waived`` lists the entities
of findings expected to be waived.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from journeygraph import AuditConfig, audit, registry
from journeygraph.rule_ids import AUDIT_RULE_IDS
from tests.conftest import fragment

CASES = Path(__file__).parent / "cases"


def _load_cases() -> list[Any]:
    params = []
    for file in sorted(CASES.glob("*.yaml")):
        spec = yaml.safe_load(file.read_text(encoding="utf-8"))
        for case in spec["cases"]:
            params.append(pytest.param(spec["rule"], case, id=f"{spec['rule']}:{case['name']}"))
    return params


@pytest.mark.parametrize(("rule_id", "case"), _load_cases())
def test_rule_case(rule_id: str, case: dict[str, Any]) -> None:
    m = fragment(case["map"])
    config = AuditConfig.model_validate(case["config"]) if "config" in case else None
    result = audit(m, config=config)
    found = [f.to_dict() for f in result.findings if f.rule == rule_id]
    expected = case["findings"]
    assert [f["entities"] for f in found] == [e["entities"] for e in expected], found
    for got, want in zip(found, expected, strict=True):
        for key, value in want.items():
            actual = got["location"]["line"] if key == "line" else got[key]
            assert actual == value, f"{key} of {got['entities']}: {actual!r} != {value!r}"
    waived = [f.entities for f in result.waived if f.rule == rule_id]
    assert [list(w) for w in waived] == case.get("waived", [])


def test_every_rule_has_passing_and_failing_cases() -> None:
    for rule in registry:
        file = CASES / f"{rule.id}.yaml"
        assert file.exists(), f"no case file for {rule.id}"
        cases = yaml.safe_load(file.read_text(encoding="utf-8"))["cases"]
        assert any(not c["findings"] for c in cases), f"{rule.id} has no passing case"
        assert any(c["findings"] for c in cases), f"{rule.id} has no failing case"


def test_no_case_file_without_a_rule() -> None:
    assert {f.stem for f in CASES.glob("*.yaml")} == set(registry.ids())


@pytest.mark.parametrize("rule", list(registry), ids=lambda r: r.id)
def test_rule_examples(rule: Any) -> None:
    failing = [f for f in audit(fragment(rule.failing_example)).findings if f.rule == rule.id]
    passing = [f for f in audit(fragment(rule.passing_example)).findings if f.rule == rule.id]
    assert failing, f"the failing example of {rule.id} gives no finding"
    assert not passing, f"the passing example of {rule.id} gives {passing}"


def test_registry_refuses_duplicate_ids() -> None:
    from journeygraph.rules import Registry

    fresh = Registry()
    rule_class = type(registry.get("dead-end"))
    fresh.register(rule_class)
    with pytest.raises(ValueError, match="duplicate rule id 'dead-end'"):
        fresh.register(rule_class)


def test_registry_refuses_incomplete_rules() -> None:
    from collections.abc import Iterator, Mapping

    from journeygraph.rules import Finding, Registry, Rule, RuleContext

    class Bare(Rule):
        id = "bare"

        def check(self, ctx: RuleContext) -> Iterator[Finding]:
            yield from ()

        def message(
            self, ctx: RuleContext, entities: tuple[str, ...], details: Mapping[str, object]
        ) -> str:
            return ""

    with pytest.raises(TypeError, match="lacks severity"):
        Registry().register(Bare)


def test_rules_are_registered_in_the_documented_order() -> None:
    # The order is written once, in rule_ids.py (the docs and the audit follow it).
    assert tuple(registry.ids()) == AUDIT_RULE_IDS
