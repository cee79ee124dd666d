"""``compare_to_be`` and ``whatif --to-be``: each figure against another computation of it."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

from typer.testing import CliRunner

from journeygraph.audit import audit
from journeygraph.cli import ExitCode, app
from journeygraph.io.load import load
from journeygraph.model import MINUTES_PER_MONTH, JourneyMap
from journeygraph.scenario import apply, load_scenario
from journeygraph.whatif import REPLAY_CAVEAT, compare_to_be
from tests.conftest import EXAMPLES

B2B = EXAMPLES / "b2b-saas.yaml"
MORTGAGE = EXAMPLES / "mortgage.yaml"
SCENARIO = EXAMPLES / "scenarios" / "b2b-saas-agreed-handoff.yaml"
LOG = EXAMPLES / "b2b-saas-events.csv"
runner = CliRunner()


def run(*args: str | Path) -> tuple[int, str, str]:
    result = runner.invoke(app, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def _keys(m: JourneyMap) -> set[tuple[str, tuple[str, ...]]]:
    return {(f.rule, f.entities) for f in audit(m).findings}


def _work(m: JourneyMap) -> dict[str, Fraction]:
    """Each function's monthly minutes, by the capacity rule's words."""
    work: dict[str, Fraction] = {}
    for t in m.touchpoints:
        if t.volume is None or t.handle_minutes is None:
            continue
        for f in set(t.owners.responsible):
            share = Fraction(t.volume) * Fraction(t.handle_minutes) / len(set(t.owners.responsible))
            work[f] = work.get(f, Fraction(0)) + share
    return work


def _mortgage_redesign() -> tuple[JourneyMap, JourneyMap]:
    from journeygraph.scenario import Scenario

    as_is = load(MORTGAGE)
    f = next(f for f in as_is.functions if f.fte is not None)
    assert f.fte is not None
    t = next(t for t in as_is.touchpoints if t.volume and t.owners.responsible)
    other = next(g.id for g in as_is.functions if g.id not in t.owners.responsible)
    scenario = Scenario.model_validate(
        {
            "version": 1,
            "changes": [
                {"change_function": {"function": f.id, "fte": f.fte * 2}},
                {"move_role": {"touchpoint": t.id, "role": "R", "to": other}},
                {"remove_function": as_is.functions[-1].id},
            ],
        }
    )
    return as_is, apply(as_is, scenario)


def test_findings_split_into_appeared_resolved_and_unchanged() -> None:
    as_is, to_be = _mortgage_redesign()
    side = compare_to_be(as_is, to_be)
    before, after = _keys(as_is), _keys(to_be)
    appeared = {(f.rule, f.entities) for f in side.diff.appeared}
    resolved = {(f.rule, f.entities) for f in side.diff.resolved}
    unchanged = {(f.rule, f.entities) for f in side.unchanged}
    assert appeared == after - before
    assert resolved == before - after
    assert unchanged == before & after
    assert appeared | resolved  # the redesign changes something


def test_coverage_and_capacity_against_their_definitions() -> None:
    as_is, to_be = _mortgage_redesign()
    side = compare_to_be(as_is, to_be)
    for m, coverage in zip((as_is, to_be), side.coverage, strict=True):
        assert coverage.without_responsible == [
            t.id for t in m.touchpoints if not t.owners.responsible
        ]
        assert coverage.without_accountable == [
            t.id for t in m.touchpoints if not t.owners.accountable
        ]
        covered = {t.stage for t in m.touchpoints if t.owners.responsible}
        assert coverage.uncovered_stages == [s.id for s in m.stages if s.id not in covered]
    for m, which in ((as_is, "before"), (to_be, "after")):
        work = _work(m)
        fte = {f.id: f.fte for f in m.functions}
        for row in side.capacity:
            c = getattr(row, which)
            if row.function not in fte:
                assert c is None
                continue
            assert c.minutes == work.get(row.function, 0)
            people = fte[row.function]
            expected = None if people is None else Fraction(people) * MINUTES_PER_MONTH
            assert c.available == expected


def test_whatif_to_be_text_says_the_replay_keeps_the_paths() -> None:
    code, out, err = run("whatif", B2B, "--to-be", SCENARIO, "--log", LOG)
    assert code == ExitCode.OK, err
    assert "high handoff-gap: signature -> order-processing" in out
    assert "933 of 1,500 (62%)" in out
    assert "760 of 1,500 (51%)" in out
    assert " ".join(REPLAY_CAVEAT.split()) in " ".join(out.split())


def test_whatif_to_be_json_and_markdown_hold_the_same_figures() -> None:
    code, out, _ = run("whatif", B2B, "--to-be", SCENARIO, "--log", LOG, "-f", "json")
    assert code == ExitCode.OK
    data = json.loads(out)
    assert data["replay"]["note"] == REPLAY_CAVEAT
    assert data["replay"]["as_is"]["customers_undeclared"] == 933
    assert data["replay"]["to_be"]["customers_undeclared"] == 760
    assert [f["entities"] for f in data["findings"]["resolved"]] == [
        ["signature", "order-processing"],
        ["order-processing", "kickoff"],
    ]
    assert data["scorecard"]["to_be"]["declared_handoffs"] == 27
    code, out, _ = run("whatif", B2B, "--to-be", SCENARIO, "--log", LOG, "-f", "markdown")
    assert code == ExitCode.OK
    assert "| customers meeting an undeclared change of hands | 933 of 1,500 \\(62%\\) |" in out


def test_a_to_be_map_written_whole_is_accepted_as_a_scenario_is(tmp_path: Path) -> None:
    to_be = tmp_path / "to-be.yaml"
    assert run("scenario", "apply", B2B, SCENARIO, "-o", to_be)[0] == ExitCode.OK
    by_scenario = json.loads(run("whatif", B2B, "--to-be", SCENARIO, "-f", "json")[1])
    by_map = json.loads(run("whatif", B2B, "--to-be", to_be, "-f", "json")[1])
    # The same, but that findings of a to-be map read from a file say where they are.
    assert _unplaced(by_map) == _unplaced(by_scenario)
    assert load(to_be) == apply(load(B2B), load_scenario(SCENARIO))


def _unplaced(data: object) -> object:
    if isinstance(data, dict):
        return {k: _unplaced(v) for k, v in data.items() if k != "location"}
    if isinstance(data, list):
        return [_unplaced(v) for v in data]
    return data


def test_whatif_refuses_what_does_not_go_together(tmp_path: Path) -> None:
    code, _, err = run("whatif", B2B, "--log", LOG)
    assert code == ExitCode.ERROR
    assert "--to-be" in err
    code, _, err = run("whatif", B2B, "--to-be", SCENARIO, "--remove-function", "sdr")
    assert code == ExitCode.ERROR
    assert "one of --to-be, --suggest" in err
    code, _, err = run("whatif", B2B, "--remove-function", "sdr", "-f", "markdown")
    assert code == ExitCode.ERROR
    assert "markdown cannot hold a whatif" in err


def test_a_bad_scenario_in_whatif_is_located(tmp_path: Path) -> None:
    scenario = tmp_path / "s.yaml"
    scenario.write_text("version: 1\nchanges:\n  - remove_function: sdrr\n", encoding="utf-8")
    code, out, err = run("whatif", B2B, "--to-be", scenario)
    assert code == ExitCode.ERROR
    assert f"{scenario}:3:22: unknown function 'sdrr'; did you mean 'sdr'?" in err
    assert out == ""


def test_each_suggestion_does_what_it_says() -> None:
    from journeygraph.evidence import discover, read_log
    from journeygraph.whatif import suggest
    from tests.scenario.test_replay import brute_force, csv_paths

    as_is = load(B2B)
    found = suggest(as_is, flow=discover(read_log(LOG)), top=50)
    assert len(found) > 10
    paths = csv_paths(LOG)
    undeclared_before = brute_force(paths, as_is)["customers_undeclared"]
    before = _keys(as_is)
    for s in found:
        to_be = apply(as_is, s.scenario)
        after = _keys(to_be)
        assert {(f.rule, f.entities) for f in s.resolved} == before - after
        assert {(f.rule, f.entities) for f in s.appeared} == after - before
        spared = undeclared_before - brute_force(paths, to_be)["customers_undeclared"]
        assert s.customers_spared == spared
    ranks = [(-s.high_resolved, -(s.customers_spared or 0)) for s in found]
    assert ranks == sorted(ranks)
    assert found[0].summary == "give R of order-processing to account-executive"


def test_whatif_suggest_prints_scenarios_that_apply(tmp_path: Path) -> None:
    code, out, err = run("whatif", B2B, "--suggest", "--top", "3", "-f", "json")
    assert code == ExitCode.OK, err
    listed = json.loads(out)["suggestions"]
    assert len(listed) == 3
    for i, item in enumerate(listed):
        scenario = tmp_path / f"s{i}.yaml"
        scenario.write_text(json.dumps(item["scenario"]), encoding="utf-8")
        code, _, err = run("scenario", "apply", B2B, scenario, "-o", tmp_path / f"to-be{i}.yaml")
        assert code == ExitCode.OK, err
    code, out, _ = run("whatif", B2B, "--suggest", "--top", "2")
    assert code == ExitCode.OK
    assert out.count("scenario.yaml") == 2
    code, out, _ = run("whatif", B2B, "--suggest", "--top", "2", "-f", "markdown")
    assert code == ExitCode.OK
    assert out.count("\n| 1 | ") == 1
    code, _, err = run("whatif", B2B, "--suggest", "--to-be", SCENARIO)
    assert code == ExitCode.ERROR
    assert "one of --to-be, --suggest" in err


HOSTILE_IDS = (
    "version: 1\njourney: {id: j}\nstages: [{id: s}]\n"
    'functions: [{id: "f|\\e[2J"}, {id: "g<b>*x*</b>\\u202e"}]\n'
    "touchpoints:\n"
    '  - {id: "a\\e]0;t\\a", stage: s, next: ["b|c"], owners: {R: "f|\\e[2J"}}\n'
    '  - {id: "b|c", stage: s, exit: true, owners: {R: "g<b>*x*</b>\\u202e"}}\n'
)


def test_suggestions_write_hostile_ids_out(tmp_path: Path) -> None:
    path = tmp_path / "hostile.yaml"
    path.write_text(HOSTILE_IDS, encoding="utf-8")
    code, out, err = run("whatif", path, "--suggest")
    assert code == ExitCode.OK, err
    assert "\x1b" not in out
    assert "\u202e" not in out
    assert "\\x1b" in out
    code, out, _ = run("whatif", path, "--suggest", "-f", "markdown")
    assert code == ExitCode.OK
    assert "<b>" not in out
    assert "\x1b" not in out
    rows = [line for line in out.splitlines() if line.startswith("| 1 ")]
    assert rows
    assert rows[0].count(" | ") == 6  # no cell split by an id's pipe


def test_a_plan_is_the_best_change_then_the_best_on_the_map_it_leaves() -> None:
    from journeygraph.evidence import discover, read_log
    from journeygraph.whatif import suggest, suggest_plan

    as_is = load(B2B)
    flow = discover(read_log(LOG))
    plan = suggest_plan(as_is, flow=flow, max_changes=3)
    assert len(plan) == 3
    current = as_is
    for k, step in enumerate(plan):
        best = suggest(current, flow=flow, top=1)[0]
        assert step.summary == best.summary
        assert step.customers_spared == best.customers_spared
        assert [f.entities for f in step.resolved] == [f.entities for f in best.resolved]
        assert len(step.scenario.changes) == k + 1
        current = apply(current, best.scenario)
    assert apply(as_is, plan[-1].scenario) == current


def test_whatif_max_changes_writes_the_plan() -> None:
    code, out, err = run("whatif", B2B, "--suggest", "--max-changes", "2", "-f", "json")
    assert code == ExitCode.OK, err
    steps = json.loads(out)["plan"]
    assert [len(s["scenario"]["changes"]) for s in steps] == [1, 2]
    code, _, err = run("whatif", B2B, "--max-changes", "2")
    assert code == ExitCode.ERROR
    assert "--suggest" in err


def test_whatif_suggest_says_when_no_single_change_does_good(tmp_path: Path) -> None:
    """A map with nothing to fix prints one sentence, not an empty table."""
    plain = tmp_path / "plain.yaml"
    plain.write_text(
        "version: 1\njourney: {id: j, name: J}\nstages: [{id: s, name: S}]\n", encoding="utf-8"
    )
    for fmt in ("text", "markdown"):
        code, out, err = run("whatif", plain, "--suggest", "-f", fmt)
        assert code == ExitCode.OK, err
        assert "No single change resolves a finding" in out
        assert "| # |" not in out
        assert "┃ #" not in out


def test_a_to_be_map_of_another_journey_is_refused_at_its_journey_id(tmp_path: Path) -> None:
    """A to-be map redesigns the same journey: one of another journey (the wrong file
    passed) is refused at its journey id, nothing written; it was compared silently."""
    other = tmp_path / "other.yaml"
    other.write_text((EXAMPLES / "mortgage.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "out.md"
    code, _, err = run("whatif", B2B, "--to-be", other, "-f", "markdown", "-o", out)
    assert code == ExitCode.ERROR
    line = next(
        i
        for i, text in enumerate(other.read_text(encoding="utf-8").splitlines(), 1)
        if text.strip().startswith("id: mortgage")
    )
    assert f"other.yaml:{line}:" in err
    assert "journey 'mortgage'" in err
    assert "'b2b-saas'" in err
    assert "Traceback" not in err
    assert not out.exists()
