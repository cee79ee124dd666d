"""``journeygraph scenario apply``, run in-process: what it writes, and what it refuses."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from journeygraph.cli import ExitCode, app
from journeygraph.io.any import load_any
from journeygraph.io.load import load
from journeygraph.scenario import apply, load_scenario
from tests.conftest import EXAMPLES

B2B = EXAMPLES / "b2b-saas.yaml"
SCENARIO = EXAMPLES / "scenarios" / "b2b-saas-agreed-handoff.yaml"
runner = CliRunner()


def run(*args: str | Path) -> tuple[int, str, str]:
    result = runner.invoke(app, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def test_apply_writes_the_to_be_map_keeping_every_untouched_line(tmp_path: Path) -> None:
    out = tmp_path / "to-be.yaml"
    code, _, err = run("scenario", "apply", B2B, SCENARIO, "-o", out)
    assert code == ExitCode.OK, err
    assert "3 changes applied" in err
    assert load(out) == apply(load(B2B), load_scenario(SCENARIO))
    before = B2B.read_text(encoding="utf-8").splitlines()
    after = out.read_text(encoding="utf-8").splitlines()
    # One line changed in place (an FTE), two handoffs added in the list's style; the
    # rest, comments included, as it was.
    assert len(after) == len(before) + 2
    changed = [(b, a) for b, a in zip(before, after, strict=False) if b != a]
    assert changed[0][1].strip() == (
        "- {id: order-fulfilment, name: Order fulfilment, department: operations, fte: 2}"
    )
    added = [line.strip() for line in after if line not in before]
    assert added[1:] == [
        "- {from: account-executive, to: order-fulfilment, name: Signed contract handoff, "
        "sla: 4h, system: CRM}",
        "- {from: order-fulfilment, to: onboarding, name: Order-to-kickoff handoff, sla: 1d, "
        "system: CRM}",
    ]
    assert after[:4] == before[:4]
    assert "  # Marketing" in after


def test_apply_without_output_writes_to_stdout() -> None:
    code, out, _ = run("scenario", "apply", B2B, SCENARIO)
    assert code == ExitCode.OK
    assert "name: Signed contract handoff, sla: 4h" in out


def test_an_existing_output_is_replaced_only_with_force(tmp_path: Path) -> None:
    out = tmp_path / "to-be.yaml"
    out.write_text("mine\n", encoding="utf-8")
    code, _, err = run("scenario", "apply", B2B, SCENARIO, "-o", out)
    assert code == ExitCode.ERROR
    assert "--force" in err
    assert out.read_text(encoding="utf-8") == "mine\n"
    code, _, _ = run("scenario", "apply", B2B, SCENARIO, "-o", out, "--force")
    assert code == ExitCode.OK
    assert load(out).id == "b2b-saas"


def test_a_suffix_no_map_is_written_in_is_refused(tmp_path: Path) -> None:
    """-o to-be.json would have been YAML in a .json file: refused, nothing written; the
    forms a map is written in still work."""
    code, _, err = run("scenario", "apply", B2B, SCENARIO, "-o", tmp_path / "to-be.json")
    assert code == ExitCode.ERROR
    assert "unknown map format '.json'" in err
    assert not (tmp_path / "to-be.json").exists()
    code, _, err = run("scenario", "apply", B2B, SCENARIO, "-o", tmp_path / "to-be.graphml")
    assert code == ExitCode.OK, err
    assert load_any(tmp_path / "to-be.graphml").id == "b2b-saas"


def test_an_input_is_never_the_output(tmp_path: Path) -> None:
    map_copy = tmp_path / "map.yaml"
    map_copy.write_text(B2B.read_text(encoding="utf-8"), encoding="utf-8")
    scenario_copy = tmp_path / "scenario.yaml"
    scenario_copy.write_text(SCENARIO.read_text(encoding="utf-8"), encoding="utf-8")
    for target in (map_copy, scenario_copy):
        before = target.read_bytes()
        code, _, err = run("scenario", "apply", map_copy, scenario_copy, "-o", target, "--force")
        assert code == ExitCode.ERROR, err
        assert target.read_bytes() == before


def test_a_bad_scenario_is_located_and_nothing_is_written(tmp_path: Path) -> None:
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(
        "version: 1\nchanges:\n"
        "  - move_role: {touchpoint: demo, role: R, to: account-executiv}\n"
        "  - remove_function: {function: sdr, why: cost}\n",
        encoding="utf-8",
    )
    out = tmp_path / "to-be.yaml"
    code, _, err = run("scenario", "apply", B2B, scenario, "-o", out)
    assert code == ExitCode.ERROR
    assert f"{scenario}:4:38: unknown key 'why'" in err
    assert "Traceback" not in err
    assert not out.exists()
    scenario.write_text(
        "version: 1\nchanges:\n  - move_role: {touchpoint: demo, role: R, to: account-executiv}\n",
        encoding="utf-8",
    )
    code, _, err = run("scenario", "apply", B2B, scenario, "-o", out)
    assert code == ExitCode.ERROR
    assert f"{scenario}:3:29: unknown touchpoint 'demo'; did you mean 'demo-call'?" in err
    assert (
        f"{scenario}:3:48: unknown function 'account-executiv'; did you mean 'account-executive'?"
        in err
    )
    assert not out.exists()


def test_removing_keeps_the_comments_of_the_lists_it_shortens(tmp_path: Path) -> None:
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(
        "version: 1\nchanges:\n  - remove_function: seo\n"
        "  - remove_transition: {from: landing-page, to: webinar}\n",
        encoding="utf-8",
    )
    out = tmp_path / "to-be.yaml"
    code, _, err = run("scenario", "apply", B2B, scenario, "-o", out)
    assert code == ExitCode.OK, err
    comments = [line for line in B2B.read_text(encoding="utf-8").splitlines() if "#" in line]
    after = out.read_text(encoding="utf-8").splitlines()
    assert [line for line in after if "#" in line] == comments
    assert load(out) == apply(load(B2B), load_scenario(scenario))
    # Only the lines that named seo or the transition changed.
    before = B2B.read_text(encoding="utf-8").splitlines()
    gone = [line for line in before if line not in after]
    assert gone
    assert all("seo" in line or "webinar" in line for line in gone)


def test_a_map_that_shares_parts_through_anchors_is_written_afresh(tmp_path: Path) -> None:
    map_file = tmp_path / "map.yaml"
    map_file.write_text(
        "version: 1\njourney: {id: j}\nstages: [{id: s}]\nfunctions: [{id: a}, {id: b}]\n"
        "touchpoints:\n"
        "  - {id: t1, stage: s, owners: &own {R: [a]}, next: [t2]}\n"
        "  - {id: t2, stage: s, owners: *own}\n",
        encoding="utf-8",
    )
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(
        "version: 1\nchanges:\n  - move_role: {touchpoint: t1, role: R, to: b}\n",
        encoding="utf-8",
    )
    out = tmp_path / "to-be.yaml"
    code, _, err = run("scenario", "apply", map_file, scenario, "-o", out)
    assert code == ExitCode.OK, err
    assert "the to-be map is written afresh" in err
    # Only t1 changes hands: the edit did not reach t2 through the anchor.
    assert [t.owners.responsible for t in load(out).touchpoints] == [["b"], ["a"]]
