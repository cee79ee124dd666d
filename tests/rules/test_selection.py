"""Rules a user can select and rename: --rules, --exclude-rules, groups and aliases."""

from __future__ import annotations

import json
import warnings

import pytest
from typer.testing import CliRunner

import journeygraph
from journeygraph import rule_ids
from journeygraph.cli import ExitCode, app
from journeygraph.evidence.rules import evidence_registry
from journeygraph.exceptions import RenamedRuleWarning, UnknownRuleError
from journeygraph.rules import registry
from tests.conftest import EXAMPLES

B2B = str(EXAMPLES / "b2b-saas.yaml")
runner = CliRunner()


def test_every_rule_is_in_exactly_one_group() -> None:
    grouped = [r for ids in rule_ids.RULE_GROUPS.values() for r in ids]
    assert sorted(grouped) == sorted(rule_ids.AUDIT_RULE_IDS + rule_ids.LOG_CHECK_IDS)


def test_one_ordered_tuple_orders_each_registry() -> None:
    assert registry.ids() == list(rule_ids.AUDIT_RULE_IDS)
    assert evidence_registry.ids() == list(rule_ids.LOG_CHECK_IDS)


def _rules_found(*args: str) -> set[str]:
    result = runner.invoke(app, ["audit", B2B, "-f", "json", "--fail-on", "never", *args])
    assert result.exit_code == ExitCode.OK, result.stderr
    return {f["rule"] for f in json.loads(result.stdout)["findings"]}


def test_rules_and_exclude_rules_select_by_rule_and_group() -> None:
    everything = _rules_found()
    assert {"loop", "handoff-gap", "unowned-touchpoint"} <= everything
    handoffs = set(rule_ids.RULE_GROUPS["handoffs"])
    assert _rules_found("--rules", "handoffs") == everything & handoffs
    assert _rules_found("--rules", "handoffs,loop", "--exclude-rules", "handoff-gap") == (
        everything & (handoffs | {"loop"})
    ) - {"handoff-gap"}
    assert _rules_found("--rules", "loop", "--rules", "dead-end") == everything & {
        "loop",
        "dead-end",
    }
    assert _rules_found("--exclude-rules", "ownership") == everything - set(
        rule_ids.RULE_GROUPS["ownership"]
    )


def test_an_unknown_rule_or_group_is_one_line_with_a_suggestion() -> None:
    result = runner.invoke(app, ["audit", B2B, "--rules", "handoff"])
    assert result.exit_code == ExitCode.ERROR
    assert "unknown rule or group 'handoff'; did you mean 'handoffs'?" in result.stderr
    with pytest.raises(UnknownRuleError):
        registry.expand(["no-such-rule"])


def test_a_renamed_rule_keeps_configs_waivers_and_selections_working(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Pretend 'dead-end' was once called 'dead-ends'.
    monkeypatch.setitem(rule_ids.RULE_ALIASES, "dead-ends", "dead-end")
    monkeypatch.setitem(registry.aliases, "dead-ends", "dead-end")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        config = journeygraph.AuditConfig.model_validate(
            {"disable": ["dead-ends"], "severity": {"dead-ends": "low"}}
        )
        assert config.disable == ["dead-end"]
        assert list(config.severity) == ["dead-end"]
        assert registry.expand(["dead-ends"]) == ["dead-end"]
    said = [str(w.message) for w in caught if issubclass(w.category, RenamedRuleWarning)]
    assert said
    assert all("rule 'dead-ends' is now 'dead-end'" in s for s in said)
    # On the command line: the selection works and the rename is said in one line.
    result = runner.invoke(
        app, ["audit", B2B, "-f", "json", "--fail-on", "never", "--rules", "dead-ends,loop"]
    )
    assert result.exit_code == ExitCode.OK, result.stderr
    assert "journeygraph: warning: rule 'dead-ends' is now 'dead-end'" in result.stderr
    assert result.stderr.count("is now 'dead-end'") == 1


def test_rules_lists_each_rules_group() -> None:
    result = runner.invoke(app, ["rules", "-f", "json"])
    assert result.exit_code == ExitCode.OK
    groups = {r["id"]: r["group"] for r in json.loads(result.stdout)}
    for group, ids in rule_ids.RULE_GROUPS.items():
        assert all(groups[r] == group for r in ids)


def test_discover_selects_audit_rules_and_log_checks_alike() -> None:
    log = str(EXAMPLES / "b2b-saas-events.csv")
    args = ["discover", log, "--map", B2B, "-f", "json", "--fail-on", "never"]

    def found(*extra: str) -> tuple[set[str], set[str]]:
        result = runner.invoke(app, [*args, *extra])
        assert result.exit_code == ExitCode.OK, result.stderr
        data = json.loads(result.stdout)
        return {f["rule"] for f in data["conformance"]}, {f["rule"] for f in data["audit"]}

    checks, audited = found()
    assert "rework" in checks
    assert "loop" in audited
    practice = set(rule_ids.RULE_GROUPS["practice"])
    assert found("--rules", "practice,loop") == (checks & practice, audited & {"loop"})
    assert found("--exclude-rules", "rework,loop") == (checks - {"rework"}, audited - {"loop"})
    wrong = runner.invoke(app, [*args, "--rules", "rework2"])
    assert wrong.exit_code == ExitCode.ERROR
    assert "unknown rule or group 'rework2'; did you mean 'rework'?" in wrong.stderr
