"""One runner for every rule's case file, audit rules and log checks alike.

The cases live in tests/rules/cases/<rule-id>.yaml; `journeygraph.testing`
reads and runs them (its module docstring describes the format).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

import journeygraph
from journeygraph.evidence.rules import evidence_registry
from journeygraph.rule_ids import ALL_RULE_IDS, AUDIT_RULE_IDS, LOG_CHECK_IDS
from journeygraph.rules import Finding, Registry, Rule, RuleContext, registry
from journeygraph.testing import (
    RuleCase,
    case_problems,
    example_findings,
    findings_of,
    load_cases,
)
from tests.conftest import EXAMPLES

CASES = Path(__file__).parent / "cases"
ALL_RULES: list[Rule[Any]] = [*registry, *evidence_registry]


@pytest.mark.parametrize("case", load_cases(CASES), ids=lambda c: c.id)
def test_rule_case(case: RuleCase) -> None:
    assert case_problems(case) == []


def test_every_rule_has_passing_and_failing_cases() -> None:
    cases = load_cases(CASES)
    for rule in ALL_RULES:
        own = [c for c in cases if c.rule == rule.id]
        assert any(not c.findings and not c.errors for c in own), f"{rule.id} has no passing case"
        assert any(c.findings for c in own), f"{rule.id} has no failing case"


def test_no_case_file_without_a_rule() -> None:
    assert {f.stem for f in CASES.glob("*.yaml")} == ALL_RULE_IDS
    assert {c.rule for c in load_cases(CASES)} == ALL_RULE_IDS


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.id)
def test_rule_examples(rule: Rule[Any]) -> None:
    assert example_findings(rule, "failing"), f"the failing example of {rule.id} gives no finding"
    passing = example_findings(rule, "passing")
    assert not passing, f"the passing example of {rule.id} gives {passing}"


def test_the_runner_reports_a_wrong_expectation() -> None:
    # The runner must be able to fail: a case expecting the wrong entities, a
    # wrong detail and a missing waiver is reported on each count.
    text = "stages: [{id: s}]\ntouchpoints: [{id: a, stage: s}, {id: b, stage: s}]\n"
    wrong = RuleCase("dead-end", "wrong", text, [{"entities": ["a"]}])
    assert case_problems(wrong) == ["findings about [['a'], ['b']], expected [['a']]"]
    detail = RuleCase(
        "dead-end", "detail", text, [{"entities": ["a"], "severity": "low"}, {"entities": ["b"]}]
    )
    assert case_problems(detail) == ["severity of ['a']: 'medium' != 'low'"]
    waived = RuleCase(
        "dead-end", "waived", text, [{"entities": ["a"]}, {"entities": ["b"]}], waived=[["a"]]
    )
    assert case_problems(waived) == ["waived [], expected [['a']]"]


def test_log_checks_honour_config_and_waivers() -> None:
    text = (
        "stages: [{id: s}]\ntouchpoints:\n  - {id: ad, stage: s, next: [shop]}\n"
        "  - {id: shop, stage: s, exit: true}\n"
    )
    log = "c1,ad,1\nc1,chat,2\n"
    waiver = {"rule": "unobserved-touchpoint", "entities": ["shop"], "reason": "new"}
    found, waived = findings_of(
        "unmapped-touchpoint",
        text,
        log=log,
        config={
            "severity": {"unmapped-touchpoint": "low"},
            "waivers": [waiver],
        },
    )
    assert [(f.entities, f.severity.value) for f in found] == [(("chat",), "low")]
    _, waived = findings_of(
        "unobserved-touchpoint",
        text,
        log=log,
        config={
            "waivers": [{"rule": "unobserved-touchpoint", "entities": ["shop"], "reason": "new"}]
        },
    )
    assert [f.entities for f in waived] == [("shop",)]
    found, _ = findings_of(
        "unmapped-touchpoint", text, log=log, config={"disable": ["unmapped-touchpoint"]}
    )
    assert found == []


def test_a_log_check_needs_a_log() -> None:
    with pytest.raises(ValueError, match="drop-off is a log check"):
        findings_of("drop-off", "stages: [{id: s}]\ntouchpoints: [{id: a, stage: s}]")


def test_find_rule_finds_both_kinds() -> None:
    from journeygraph.docs import find_rule

    assert [find_rule(i).kind for i in ("loop", "rework")] == ["audit rule", "log check"]


def test_registry_refuses_duplicate_ids() -> None:
    fresh: Registry[Any] = Registry()
    rule_class = type(registry.get("dead-end"))
    fresh.register(rule_class)
    with pytest.raises(ValueError, match="duplicate rule id 'dead-end'"):
        fresh.register(rule_class)


def test_registry_refuses_incomplete_rules() -> None:
    class Bare(Rule[RuleContext]):
        id = "bare"

        def check(self, ctx: RuleContext) -> Iterator[Finding]:
            yield from ()

        def message(
            self, ctx: RuleContext, entities: tuple[str, ...], details: Mapping[str, object]
        ) -> str:
            return ""

    with pytest.raises(TypeError, match="lacks severity"):
        Registry[Any]().register(Bare)


def test_a_log_check_needs_example_logs() -> None:
    check = type(evidence_registry.get("drop-off"))
    incomplete = type("NoLog", (check,), {"id": "no-log", "failing_log": ""})
    with pytest.raises(TypeError, match="lacks failing_log"):
        Registry[Any]().register(incomplete)


def test_rules_are_registered_in_the_documented_order() -> None:
    # The order is written once, in rule_ids.py (the docs and the audit follow it).
    assert tuple(registry.ids()) == AUDIT_RULE_IDS
    assert tuple(evidence_registry.ids()) == LOG_CHECK_IDS


def test_the_b2b_example_names_its_sales_regressions() -> None:
    """The flywheel around the whole journey no longer hides the regressions inside it."""
    result = journeygraph.audit(journeygraph.load(EXAMPLES / "b2b-saas.yaml"))
    (across,) = [f for f in result.findings if f.rule == "loop" and "back_edges" in f.details]
    assert across.details["kind"] == "regression"
    regressions = [
        (e["from"], e["to"]) for e in across.details["back_edges"] if e["kind"] == "regression"
    ]
    assert regressions == [("proposal", "technical-evaluation"), ("renewal", "proposal")]
    assert "'Proposal and pricing' -> 'Technical evaluation" in across.message


def test_the_advice_for_the_report_is_plain_words() -> None:
    """The report's readers get the advice, not the map author's fix: no keys, no code."""
    from journeygraph.evidence.rules import evidence_registry

    # The map's keys that are not also plain words.
    keys = {"owners", "next", "weight", "layer", "metrics", "fte", "sla", "R", "A", "C", "I"}
    keys |= {"volume", "waivers", "thresholds", "artefact", "entry", "exit"}
    for rule in [*registry, *evidence_registry]:
        assert rule.advice, rule.id
        assert rule.advice != rule.fix, rule.id
        assert "`" not in rule.advice, rule.id
        words = set(re.findall(r"\w+(?:\.\w+)*", rule.advice))
        jargon = {w for w in words if "_" in w or "." in w or w in keys}
        assert not jargon, (rule.id, jargon)
