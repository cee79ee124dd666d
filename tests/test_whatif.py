"""What-if on a hand-made map with known answers, and the dependence ranking."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from journeygraph import JourneyGraphError
from journeygraph.cli import ExitCode, app
from journeygraph.testing import fragment
from journeygraph.whatif import dependence_ranking, remove_functions, what_if
from tests.conftest import EXAMPLES

MAP = """\
stages: [{id: buy}, {id: keep}]
departments: [{id: sales}, {id: success}]
functions:
  - {id: sdr, department: sales}
  - {id: ae, department: sales}
  - {id: csm, department: success}
  - {id: lead, department: success}
touchpoints:
  - {id: call, stage: buy, next: [deal], owners: {R: sdr, A: ae}}
  - {id: deal, stage: buy, next: [onboard], owners: {R: [ae, sdr], A: ae}}
  - {id: onboard, stage: keep, next: [renew], owners: {R: csm, A: lead}}
  - {id: renew, stage: keep, exit: true, owners: {R: [csm, lead], A: lead}}
handoffs: [{from: ae, to: csm}, {from: sdr, to: csm}]
"""


def test_removing_one_function() -> None:
    effect = what_if(fragment(MAP), functions=["csm"])
    assert effect.removed == ["csm"]
    assert effect.without_responsible == ["onboard"]
    assert effect.without_accountable == []
    assert effect.uncovered_stages == []
    # deal -> onboard loses its R on one side: no change of hands, so no gap;
    # onboard -> renew neither. The handoffs to csm are gone with it.
    assert effect.new_gaps == []


def test_removing_a_department() -> None:
    effect = what_if(fragment(MAP), departments=["success"])
    assert effect.removed == ["csm", "lead"]
    assert effect.without_responsible == ["onboard", "renew"]
    assert effect.without_accountable == ["onboard", "renew"]
    assert effect.uncovered_stages == ["keep"]
    assert [f.rule for f in effect.diff.appeared].count("unowned-touchpoint") == 2


def test_a_removal_that_opens_a_gap() -> None:
    text = MAP.replace(
        "handoffs: [{from: ae, to: csm}, {from: sdr, to: csm}]", "handoffs: [{from: ae, to: csm}]"
    )
    effect = what_if(fragment(text), functions=["ae"])
    assert effect.without_accountable == ["call", "deal"]
    assert [f.entities for f in effect.new_gaps] == [("deal", "onboard")]


def test_unknown_ids_are_named() -> None:
    with pytest.raises(JourneyGraphError, match="unknown function 'cms'; did you mean 'csm'"):
        remove_functions(fragment(MAP), ["cms"])


def test_ranking_without_removing_each_function() -> None:
    ranking = dependence_ranking(fragment(MAP))
    rows = {d.function: (d.sole_responsible, d.sole_accountable, d.sole_stages) for d in ranking}
    assert rows == {"sdr": (1, 0, ()), "ae": (0, 2, ()), "csm": (1, 0, ()), "lead": (0, 2, ())}
    # Brute force: removing each function leaves exactly its sole-R touchpoints without R.
    m = fragment(MAP)
    for d in ranking:
        effect = what_if(m, functions=[d.function])
        assert len(effect.without_responsible) == d.sole_responsible
        assert len(effect.without_accountable) == d.sole_accountable
        assert tuple(effect.uncovered_stages) == d.sole_stages


def test_cli() -> None:
    runner = CliRunner()
    b2b = str(EXAMPLES / "b2b-saas.yaml")
    result = runner.invoke(app, ["whatif", b2b, "--remove-department", "legal"])
    assert result.exit_code == ExitCode.OK
    assert "1 touchpoint left without a Responsible: Contract and security review" in result.stdout
    data = json.loads(runner.invoke(app, ["whatif", b2b, "-f", "json", "--top", "3"]).stdout)
    assert len(data["ranking"]) == 3
    result = runner.invoke(app, ["whatif", b2b, "--remove-function", "acount-executive"])
    assert result.exit_code == ExitCode.ERROR
    assert "did you mean 'account-executive'?" in result.stderr
