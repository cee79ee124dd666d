"""The command line, run in-process: exit codes, stdout and stderr."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

import journeygraph
from journeygraph.cli import ExitCode, app
from journeygraph.rule_ids import ALL_RULE_IDS
from journeygraph.starters import INDUSTRIES
from tests.conftest import EXAMPLES, line_of, write_map

B2B = str(EXAMPLES / "b2b-saas.yaml")
runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_audit_text_lists_findings_and_fails_on_medium_by_default() -> None:
    code, out, _ = run("audit", B2B)
    assert code == ExitCode.FINDINGS
    assert "handoff-gap" in out
    assert "Review sites (G2, Capterra)" in out
    # The summary line counts what the JSON output lists, severity by severity.
    data = json.loads(run("audit", B2B, "-f", "json", "--fail-on", "never")[1])
    tally = Counter(f["severity"] for f in data["findings"])
    waived = len(data["waived"])
    parts = [f"{tally[s]} {s}" for s in ("high", "medium", "low", "info") if tally[s]]
    assert f"{', '.join(parts)} ({waived} waived) in 1 journey." in out


def test_audit_json_shape_and_order() -> None:
    code, out, err = run("audit", B2B, "--format", "json", "--fail-on", "never")
    assert code == ExitCode.OK
    data = json.loads(out)
    assert list(data) == [
        "journey",
        "name",
        "file",
        "findings",
        "waived",
        "unused_waivers",
        "summary",
    ]
    assert data["journey"] == "b2b-saas"
    tally = Counter(f["severity"] for f in data["findings"])
    assert data["summary"] == {s: tally[s] for s in ("high", "medium", "low", "info")}
    first = data["findings"][0]
    assert first["rule"] == "unowned-touchpoint"
    assert first["entities"] == ["review-sites"]
    assert first["location"]["line"] == line_of(EXAMPLES / "b2b-saas.yaml", "- id: review-sites")
    ranks = ["high", "medium", "low", "info"]
    assert [ranks.index(f["severity"]) for f in data["findings"]] == sorted(
        ranks.index(f["severity"]) for f in data["findings"]
    )
    assert data["waived"][0]["reason"].startswith("Trial sign-ups")
    assert "6 high" in err


@pytest.mark.parametrize(
    ("fail_on", "expected"),
    [("high", ExitCode.FINDINGS), ("info", ExitCode.FINDINGS), ("never", ExitCode.OK)],
)
def test_fail_on(fail_on: str, expected: int) -> None:
    assert run("audit", B2B, "--fail-on", fail_on, "-f", "json")[0] == expected


def test_fail_on_high_passes_a_map_with_only_lower_findings(tmp_path: Path) -> None:
    m = write_map(
        tmp_path / "m.yaml",
        "stages: [{id: s}]\nfunctions: [{id: f}]\n"
        "touchpoints: [{id: a, stage: s, exit: true, owners: {R: f}}]\n",
    )
    assert run("audit", str(m), "--fail-on", "high")[0] == ExitCode.OK
    assert run("audit", str(m), "--fail-on", "medium")[0] == ExitCode.FINDINGS


def test_output_file(tmp_path: Path) -> None:
    target = tmp_path / "out" / "audit.json"
    code, out, err = run("audit", B2B, "-f", "json", "-o", str(target), "--fail-on", "never")
    assert code == ExitCode.OK
    assert out == ""
    assert json.loads(target.read_text(encoding="utf-8"))["journey"] == "b2b-saas"
    assert f"wrote {target}" in err


def test_config_file_overrides_the_map(tmp_path: Path) -> None:
    config = tmp_path / "audit.yaml"
    config.write_text(
        "disable: [loop]\nseverity: {handoff-gap: low}\n"
        "waivers: [{rule: idle-function, entities: [partner-manager], reason: new hire}]\n",
        encoding="utf-8",
    )
    _, out, _ = run("audit", B2B, "-f", "json", "-c", str(config), "--fail-on", "never")
    data = json.loads(out)
    assert not [f for f in data["findings"] if f["rule"] == "loop"]
    assert {f["severity"] for f in data["findings"] if f["rule"] == "handoff-gap"} == {"low"}
    assert [w["rule"] for w in data["waived"]] == ["handoff-gap", "idle-function"]


def test_unused_waiver_is_reported(tmp_path: Path) -> None:
    config = tmp_path / "audit.yaml"
    config.write_text(
        "waivers: [{rule: dead-end, entities: [nowhere], reason: old}]\n", encoding="utf-8"
    )
    _, out, err = run("audit", B2B, "-f", "json", "-c", str(config))
    assert f"{config}:1:11: warning: waiver for dead-end ['nowhere'] matches no finding" in err
    assert json.loads(out)["unused_waivers"][0]["entities"] == ["nowhere"]


def test_several_maps_and_folders(tmp_path: Path) -> None:
    _, out, _ = run("audit", str(EXAMPLES), "-f", "json", "--fail-on", "never")
    data = json.loads(out)
    assert len(data["journeys"]) >= 2
    assert sum(data["summary"].values()) == sum(
        sum(j["summary"].values()) for j in data["journeys"]
    )


def test_audit_csv() -> None:
    _, out, _ = run("audit", B2B, "-f", "csv", "--fail-on", "never")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows[0]["rule"] == "unowned-touchpoint"
    assert rows[0]["line"] == str(line_of(EXAMPLES / "b2b-saas.yaml", "- id: review-sites"))
    assert rows[-1]["waived"].startswith("Trial sign-ups")


def test_bad_map_exits_2_with_every_problem_and_no_traceback(tmp_path: Path) -> None:
    bad = write_map(
        tmp_path / "bad.yaml",
        "stages: [{id: s}]\ntouchpoints:\n  - {id: a, stage: x, ownres: {}}\n",
    )
    code, out, err = run("audit", str(bad))
    assert code == ExitCode.ERROR
    assert out == ""
    assert f"{bad}:5:23: unknown key 'ownres' in touchpoint 'a'; did you mean 'owners'?" in err
    assert f"{bad}:5:20: unknown stage 'x'; known stages: 's'" in err
    assert f"journeygraph: 2 problems in {bad}; fix them and run again." in err
    assert "Traceback" not in err


def test_missing_file_exits_2() -> None:
    code, _, err = run("audit", "no/such/map.yaml")
    assert code == ExitCode.ERROR
    assert "no/such/map.yaml: no such file; check the path" in err


def test_unknown_option_exits_2() -> None:
    assert run("audit", B2B, "--format", "pdf")[0] == ExitCode.ERROR


def test_validate() -> None:
    code, _, err = run("validate", B2B)
    assert code == ExitCode.OK
    assert "valid (5 stages, 29 touchpoints, 23 functions)" in err


def test_matrix_text_and_csv_and_json() -> None:
    code, out, _ = run("matrix", B2B)
    assert code == ExitCode.OK
    assert "Account executive" in out
    assert "every stage has one" in out
    rows = list(csv.reader(io.StringIO(run("matrix", B2B, "-f", "csv")[1])))
    assert rows[0] == [
        "department",
        "function",
        "Awareness",
        "Consideration",
        "Decision",
        "Retention",
        "Advocacy",
    ]
    ae = next(r for r in rows if r[1] == "Account executive")
    assert ae[2:] == ["", "RA", "RCI", "", ""]
    data = json.loads(run("matrix", B2B, "-f", "json")[1])
    assert data["uncovered"] == []
    assert data["rows"][0]["department"] == "marketing"


def test_rules_and_explain() -> None:
    code, out, _ = run("rules")
    assert code == ExitCode.OK
    assert "handoff-gap" in out
    assert "overloaded-function" in out
    assert "drop-off" in out  # log checks are listed too
    code, out, _ = run("rules", "-f", "json")
    kinds = {r["id"]: r["kind"] for r in json.loads(out)}
    assert sorted(kinds) == sorted(ALL_RULE_IDS)
    assert (kinds["handoff-gap"], kinds["rework"]) == ("audit rule", "log check")
    code, out, _ = run("explain", "handoff-gap")
    assert code == ExitCode.OK
    assert "How to fix it" in out
    assert "Fails" in out
    code, _, err = run("explain", "handof-gap")
    assert code == ExitCode.ERROR
    assert "did you mean 'handoff-gap'?" in err


def test_schema_is_json_schema() -> None:
    schema = json.loads(run("schema")[1])
    assert schema["$schema"].endswith("2020-12/schema")
    assert "touchpoints" in schema["properties"]


def test_markup_in_names_is_printed_as_written(tmp_path: Path) -> None:
    m = write_map(
        tmp_path / "m.yaml",
        "stages: [{id: s}]\n"
        'touchpoints: [{id: a, stage: s, exit: true, name: "[bold red]x[/] <b>y</b>"}]\n',
    )
    out = run("audit", str(m), "--fail-on", "never")[1]
    assert "'[bold red]x[/] <b>y</b>'" in out


def test_matrix_marks_stages_without_a_responsible_owner(tmp_path: Path) -> None:
    m = write_map(
        tmp_path / "m.yaml",
        "stages: [{id: s, name: Buy}, {id: t, name: Keep}]\n"
        "functions: [{id: f, name: Sales}]\n"
        "touchpoints:\n  - {id: a, stage: s, next: [b], owners: {R: f}}\n"
        "  - {id: b, stage: t, exit: true, owners: {A: f}}\n",
    )
    text = run("matrix", str(m))[1]
    assert "✗ = none in this stage" in text
    assert json.loads(run("matrix", str(m), "-f", "json")[1])["uncovered"] == ["t"]
    rows = list(csv.reader(io.StringIO(run("matrix", str(m), "-f", "csv")[1])))
    assert rows[-1] == ["", "(no Responsible owner)", "", "x"]
    assert rows[1] == ["", "Sales", "R", "A"]


def test_csv_never_starts_a_cell_with_a_formula(tmp_path: Path) -> None:
    m = write_map(
        tmp_path / "m.yaml",
        "stages: [{id: s}]\n"
        'functions: [{id: f, name: "=HYPERLINK(\\"http://x\\")"}]\n'
        "touchpoints: [{id: a, stage: s, exit: true, owners: {R: f}}]\n",
    )
    rows = list(csv.reader(io.StringIO(run("matrix", str(m), "-f", "csv")[1])))
    assert rows[1][1] == '\'=HYPERLINK("http://x")'


@pytest.mark.parametrize("industry", [None, *INDUSTRIES])
def test_init_writes_a_valid_map_without_findings(tmp_path: Path, industry: str | None) -> None:
    target = tmp_path / "client map.yaml"
    extra = [] if industry is None else ["--industry", industry]
    assert run("init", str(target), *extra)[0] == ExitCode.OK
    assert run("audit", str(target), "--fail-on", "info")[0] == ExitCode.OK
    text = target.read_text(encoding="utf-8")
    assert "journeygraph audit client map.yaml" in text
    m = journeygraph.load(target)
    if industry is not None:
        # Each industry's starter shows the parts of the format a newcomer needs.
        assert m.personas
        assert m.audit != journeygraph.AuditConfig()
        assert any(t.entry for t in m.touchpoints)
        assert any(t.layer != "frontstage" for t in m.touchpoints)
        assert any(step.weight for t in m.touchpoints for step in t.next)
        assert any(h.sla for h in m.handoffs)
    code, _, err = run("init", str(target))
    assert code == ExitCode.ERROR
    assert "exists; choose another name or pass --force" in err


def test_export_and_import(tmp_path: Path) -> None:
    for suffix in (".graphml", ".gexf", ".mmd", ".yaml"):
        assert run("export", B2B, "-o", str(tmp_path / f"m{suffix}"))[0] == ExitCode.OK
    assert run("import", str(tmp_path / "m.graphml"), "-o", str(tmp_path / "back.yaml"))[0] == 0
    back = (tmp_path / "back.yaml").read_text(encoding="utf-8")
    assert back == (tmp_path / "m.yaml").read_text(encoding="utf-8")
    mermaid = (tmp_path / "m.mmd").read_text(encoding="utf-8")
    assert mermaid.startswith("flowchart LR")
    assert "-. gap .->" in mermaid
    code, _, err = run("export", B2B, "-o", str(tmp_path / "m.pdf"))
    assert code == ExitCode.ERROR
    assert "unknown map format '.pdf'" in err


def test_mermaid_labels_stay_text(tmp_path: Path) -> None:
    m = write_map(
        tmp_path / "m.yaml",
        "stages: [{id: s}]\n"
        'touchpoints: [{id: a, stage: s, exit: true, name: "x\\"]; click a evil #1 <b>"}]\n',
    )
    run("export", str(m), "-o", str(tmp_path / "m.mmd"))
    text = (tmp_path / "m.mmd").read_text(encoding="utf-8")
    assert 't0["x#34;]; click a evil #35;1 #60;b#62;"]' in text


def test_portfolio_summary_beside_the_journeys() -> None:
    data = json.loads(run("audit", str(EXAMPLES), "-f", "json", "--fail-on", "never")[1])
    view = data["portfolio"]
    maps = [journeygraph.load(p) for p in sorted(EXAMPLES.glob("*.yaml"))]
    assert view["journeys"] == sorted(m.journey.id for m in maps)
    assert view["idle_everywhere"] == ["Partner manager"]

    # Functions are one across journeys when their names match, case and spaces aside.
    def key(m: journeygraph.JourneyMap, fid: str) -> str:
        return " ".join(next(f.label for f in m.functions if f.id == fid).casefold().split())

    held = Counter(
        key(m, f) for m in maps for t in m.touchpoints for f in set(t.owners.responsible)
    )
    (top, most), *_ = held.most_common(1)
    assert view["busiest"][0]["responsible_for"] == most
    assert " ".join(view["busiest"][0]["function"].casefold().split()) == top
    journeys_of = Counter(k for m in maps for k in {key(m, f.id) for f in m.functions})
    shared = sorted(k for k, n in journeys_of.items() if n > 1)
    assert sorted(" ".join(s["function"].casefold().split()) for s in view["shared"]) == shared
    assert view["uncovered_stages"] == []
    text = run("audit", str(EXAMPLES), "--fail-on", "never")[1]
    assert f"Portfolio of {len(maps)} journeys" in text
    assert "Functions with no part in any journey: Partner manager" in text
