"""The action plan: every finding in one action, owners and figures checked, and its outputs."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

import journeygraph
from journeygraph.actions import ACTION_OF, TO_ASSIGN, Action, action_plan
from journeygraph.audit import audit
from journeygraph.cli import ExitCode, app
from journeygraph.evidence import Evidence
from journeygraph.model import JourneyMap
from journeygraph.rule_ids import ALL_RULE_IDS
from journeygraph.testing import fragment
from tests.conftest import EXAMPLES

B2B = EXAMPLES / "b2b-saas.yaml"
LOG = EXAMPLES / "b2b-saas-events.csv"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_every_rule_and_check_has_an_action() -> None:
    assert set(ACTION_OF) == set(ALL_RULE_IDS)


def _plan_with_log() -> tuple[JourneyMap, Evidence, list[Action]]:
    from journeygraph.evidence import compare, discover, read_log

    m = journeygraph.load(B2B)
    evidence = compare(m, discover(read_log(LOG)))
    return m, evidence, action_plan(m, audit(m), evidence)


def test_each_finding_is_in_exactly_one_action_and_the_figures_add_up() -> None:
    m, evidence, plan = _plan_with_log()
    everything = [*evidence.audit.findings, *evidence.conformance.findings]
    placed = [id(f) for a in plan for f in a.findings]
    assert sorted(placed) == sorted(id(f) for f in everything)
    for a in plan:
        if a.source == "opportunity":
            continue
        # Customers: the most any of its findings touches (a step nobody took touches
        # none, and says nothing); severity: the highest.
        counted = [int(f.details["customers"]) for f in a.findings if "customers" in f.details]
        assert a.customers == (max(counted) if counted else None)
        assert a.severity == max((f.severity for f in a.findings), key=lambda s: s.rank)
    # The plan is in priority order: severity (1 to 4) times customers, then findings.
    scores = [((a.severity.rank + 1) * max(a.customers or 1, 1), len(a.findings)) for a in plan]
    assert scores == sorted(scores, reverse=True)
    assert [a.priority for a in plan] == list(range(1, len(plan) + 1))
    # Opportunities written in the map join the plan.
    assert {a.title for a in plan if a.source == "opportunity"} == {
        o.label for o in m.opportunities if o.status != "done"
    }


def test_gaps_and_undeclared_handovers_of_one_pair_are_one_action() -> None:
    m = fragment(
        """
stages: [{id: s}]
functions: [{id: sales, name: Sales}, {id: desk, name: Service desk}, {id: lead, name: Lead}]
touchpoints:
  - {id: demo, name: Demo, stage: s, next: [setup], owners: {R: sales, A: lead}}
  - {id: setup, name: Setup, stage: s, exit: true, owners: {R: desk, A: lead}}
"""
    )
    plan = action_plan(m, audit(m))
    (gap,) = [a for a in plan if a.title.startswith("Agree a handoff procedure")]
    assert gap.title == "Agree a handoff procedure from Sales to Service desk"
    assert gap.owner == "Lead"  # Accountable for the touchpoint customers reach
    assert gap.details == ["Demo → Setup"]


def test_an_action_nobody_is_accountable_for_says_to_assign() -> None:
    m = fragment(
        """
stages: [{id: s}]
touchpoints:
  - {id: demo, stage: s, exit: true}
"""
    )
    (owners,) = [a for a in action_plan(m, audit(m)) if a.key[0] == "owners"]
    assert owners.owner == TO_ASSIGN


def test_the_actions_command_writes_every_format(tmp_path: Path) -> None:
    code, out, err = run("actions", str(B2B), "--log", str(LOG), "-f", "json")
    assert code == ExitCode.OK, err
    rows = json.loads(out)["actions"]
    _, _, plan = _plan_with_log()
    assert [r["action"] for r in rows] == [a.title for a in plan]
    code, out, _ = run("actions", str(B2B), "-f", "csv")
    table = list(csv.DictReader(io.StringIO(out)))
    assert [r["priority"] for r in table] == [str(i) for i in range(1, len(table) + 1)]
    book = tmp_path / "actions.xlsx"
    code, _, err = run("actions", str(B2B), "--log", str(LOG), "-o", str(book))
    assert code == ExitCode.OK, err
    sheet = load_workbook(book)["actions"]
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][:4] == ("Priority", "Action", "Details", "Owner")
    assert [v[1] for v in values[1:]] == [a.title for a in plan]
    assert sheet.freeze_panes == "A2"
    code, _, err = run("actions", str(B2B), "-o", str(book))
    assert code == ExitCode.ERROR  # an existing file is replaced only with --force
    assert "--force" in err


def test_text_a_user_wrote_is_never_a_formula_in_the_workbook(tmp_path: Path) -> None:
    m = tmp_path / "m.yaml"
    m.write_text(
        "version: 1\njourney: {id: j}\nstages: [{id: s, name: '=HYPERLINK(\"x\")'}]\n"
        "touchpoints: [{id: t, stage: s, exit: true}]\n",
        encoding="utf-8",
    )
    book = tmp_path / "a.xlsx"
    code, _, err = run("actions", str(m), "-o", str(book))
    assert code == ExitCode.OK, err
    cells = [c for row in load_workbook(book)["actions"].iter_rows(values_only=True) for c in row]
    assert not any(isinstance(c, str) and c.startswith("=") for c in cells)


@pytest.mark.graphviz
def test_the_report_opens_with_the_summary_and_the_plan(tmp_path: Path) -> None:
    code, _, err = run("report", str(B2B), "--log", str(LOG), "-o", str(tmp_path / "r"))
    assert code == ExitCode.OK, err
    text = (tmp_path / "r" / "report.md").read_text(encoding="utf-8")
    summary = text.index("### Executive summary")
    assert summary < text.index("**What to do first**") < text.index("### Action plan")
    assert text.index("### Action plan") < text.index("### Journey flow")
    _, _, plan = _plan_with_log()
    first = plan[0].title.replace("(", "\\(").replace(")", "\\)")
    assert f"1. {first}" in text
    page = (tmp_path / "r" / "report.html").read_text(encoding="utf-8")
    assert page.index("Executive summary") < page.index("Action plan")


def test_owners_can_be_departments() -> None:
    """With ``--owner department`` each action is owned by the department of the function
    that owns it by default (that function's name when it has no department)."""
    for name in ["b2b-saas.yaml", "mortgage.yaml", "healthcare-outpatient.yaml"]:
        m = journeygraph.load(EXAMPLES / name)
        result = audit(m)
        by_function = {a.key: a.owner for a in action_plan(m, result)}
        by_department = {a.key: a.owner for a in action_plan(m, result, owners="department")}
        assert by_function.keys() == by_department.keys()
        department = {d.id: d.label for d in m.departments}
        of = {f.label: department.get(f.department or "", f.label) for f in m.functions}
        for key, owner in by_function.items():
            assert by_department[key] == of.get(owner, owner), (name, key)
        assert set(by_department.values()) - {TO_ASSIGN} <= set(department.values()) | {
            f.label for f in m.functions if f.department is None
        } | {o.owner for o in m.opportunities if o.owner}
    ran = CliRunner().invoke(
        app, ["actions", str(EXAMPLES / "b2b-saas.yaml"), "--owner", "department", "-f", "csv"]
    )
    assert ran.exit_code == ExitCode.OK
    owners = {row["owner"] for row in csv.DictReader(io.StringIO(ran.stdout))}
    departments = {d.label for d in journeygraph.load(EXAMPLES / "b2b-saas.yaml").departments}
    assert owners - {TO_ASSIGN} <= departments


@pytest.mark.graphviz
def test_the_cover_says_what_to_do_first() -> None:
    """The cover lists the three actions to take first: one journey's first three, or
    across a portfolio the highest severity times customers."""
    import re

    from journeygraph.report.document import build_report, html_report

    maps = [journeygraph.load(EXAMPLES / n) for n in ("b2b-saas.yaml", "mortgage.yaml")]
    results = [audit(m) for m in maps]
    plans = [
        (m.journey.label, a) for m, r in zip(maps, results, strict=True) for a in action_plan(m, r)
    ]
    expected = sorted(
        plans,
        key=lambda ja: (-(ja[1].severity.rank + 1) * max(ja[1].customers or 1, 1), ja[1].priority),
    )[:3]
    page = html_report(build_report(maps, results))
    cover = re.search(r'<section class="cover">(.*?)</section>', page, re.S)
    assert cover is not None
    items = re.findall(r"<li>(.*?) <span>", cover.group(1))
    assert items == [a.title.replace("'", "&#39;") for _, a in expected]
    one = html_report(build_report(maps[:1], results[:1]))
    cover = re.search(r'<section class="cover">(.*?)</section>', one, re.S)
    assert cover is not None
    assert re.findall(r"<li>(.*?) <span>", cover.group(1)) == [
        a.title for a in action_plan(maps[0], results[0])[:3]
    ]
