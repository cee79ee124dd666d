"""The action plan: every finding in one action, owners and figures checked, and its outputs."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

import journeygraph
from journeygraph.actions import ACTION_OF, TO_ASSIGN, Action, action_plan
from journeygraph.audit import audit
from journeygraph.cli import ExitCode, app
from journeygraph.evidence import Evidence
from journeygraph.model import JourneyMap
from journeygraph.rule_ids import ALL_RULE_IDS, AUDIT_RULE_IDS, LOG_CHECK_IDS
from journeygraph.testing import LOG_HEADER, fragment
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
        # Reach: the most customers in the log any of its findings touches (a step
        # nobody took touches none, and says nothing); severity: the highest.
        counted = [int(f.details["customers"]) for f in a.findings if "customers" in f.details]
        assert a.reach == (max(counted) if counted else None)
        assert a.reach_source == "log"
        assert a.severity == max((f.severity for f in a.findings), key=lambda s: s.rank)
    assert_ranked(plan)
    # Opportunities written in the map join the plan.
    assert {a.title for a in plan if a.source == "opportunity"} == {
        o.label for o in m.opportunities if o.status != "done"
    }


SEVERITY_ORDER = ["critical", "high", "medium", "low", "info"]


def assert_ranked(plan: list[Action]) -> None:
    """Severity first, then pain felt as bad (worst first), then reach (more first, none
    last), then the rules' order."""
    order = {r: i for i, r in enumerate(AUDIT_RULE_IDS + LOG_CHECK_IDS)}
    keys = [
        (
            SEVERITY_ORDER.index(a.severity.value),
            min(a.emotion or 0, 0),
            -(a.reach if a.reach is not None else -1),
            min((order[f.rule] for f in a.findings), default=len(order)),
        )
        for a in plan
    ]
    assert keys == sorted(keys)
    assert [a.priority for a in plan] == list(range(1, len(plan) + 1))
    # Every high action comes before every medium one, and so on.
    severities = [SEVERITY_ORDER.index(a.severity.value) for a in plan]
    assert severities == sorted(severities)


def _volume_reach(data: dict[str, Any], rule: str, entities: tuple[str, ...]) -> int | None:
    """The definition, from the map file: the busiest touchpoint's monthly volume among
    the touchpoints a finding concerns."""
    touchpoints = data["touchpoints"]
    ids = {t["id"] for t in touchpoints}

    def held(fn: str) -> list[dict[str, Any]]:
        def roles(t: dict[str, Any], r: str) -> list[str]:
            v = (t.get("owners") or {}).get(r) or []
            return [v] if isinstance(v, str) else v

        return [t for t in touchpoints if fn in roles(t, "R") or fn in roles(t, "A")]

    if rule in (
        "overloaded-function",
        "capacity-overload",
        "accountability-concentration",
        "idle-function",
    ):
        concerned = held(entities[0])
    elif rule in ("empty-stage", "single-owner-stage", "missing-metric"):
        concerned = [t for t in touchpoints if t["stage"] == entities[0]]
    elif rule in ("handoff-without-sla", "unused-handoff"):
        taker = entities[-1]

        def responsible(t: dict[str, Any]) -> list[str]:
            v = (t.get("owners") or {}).get("R") or []
            return [v] if isinstance(v, str) else v

        concerned = [t for t in touchpoints if taker in responsible(t)]
    else:
        concerned = [t for t in touchpoints if t["id"] in set(entities) & ids]
    volumes = [t["volume"] for t in concerned if t.get("volume") is not None]
    return int(max(volumes)) if volumes else None


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.name)
def test_without_a_log_reach_is_the_maps_volume(example: Path) -> None:
    import yaml

    data = yaml.safe_load(example.read_text(encoding="utf-8"))
    m = journeygraph.load(example)
    plan = action_plan(m, audit(m))
    for a in plan:
        assert a.reach_source == "map"
        if a.source == "opportunity":
            continue
        expected = [_volume_reach(data, f.rule, f.entities) for f in a.findings]
        known = [e for e in expected if e is not None]
        assert a.reach == (max(known) if known else None), a.title
    assert_ranked(plan)


RELIEVING = {"workload", "concentration", "idle"}


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.name)
def test_no_action_is_owned_by_the_function_it_relieves(example: Path) -> None:
    m = journeygraph.load(example)
    names = {f.id: f.label for f in m.functions}
    departments = {d.id: d.label for d in m.departments}
    for a in action_plan(m, audit(m)):
        assert a.owner_reason, a.title
        if a.key[0] in RELIEVING:
            fn = a.key[1]
            assert a.owner != names[fn], a.title
            department = next((f.department for f in m.functions if f.id == fn), None)
            if a.owner.endswith(" department"):
                assert department is not None, a.title
                assert a.owner == f"{departments[department]} department"
                assert names[fn] in a.owner_reason


def test_severity_outranks_reach() -> None:
    # A high finding on a quiet touchpoint, lesser ones where 90,000 customers pass.
    m = fragment(
        """
stages: [{id: s}]
functions: [{id: lead, name: Lead}]
touchpoints:
  - {id: busy, name: Busy, stage: s, entry: true, volume: 90000, next: [done],
     owners: {R: lead, A: lead}}
  - {id: done, name: Done, stage: s, exit: true, volume: 90000, owners: {R: lead, A: lead}}
  - {id: quiet, name: Quiet, stage: s, entry: true, exit: true, volume: 5}
"""
    )
    plan = action_plan(m, audit(m))
    assert_ranked(plan)
    assert (plan[0].severity.value, plan[0].reach) == ("high", 5)
    assert any(a.reach == 90000 and a.severity.value != "high" for a in plan[1:])


def test_an_intended_cycle_is_kept_never_cut(tmp_path: Path) -> None:
    from journeygraph.evidence import compare, discover, read_log

    m = fragment(
        """
stages: [{id: buy}, {id: keep}]
functions: [{id: sales, name: Sales}]
touchpoints:
  - {id: quote, name: Quote, stage: buy, entry: true, next: [form], owners: {R: sales, A: sales}}
  - {id: form, name: Form, stage: buy, next: [renew, quote], owners: {R: sales, A: sales}}
  - id: renew
    name: Renew
    stage: keep
    exit: true
    owners: {R: sales, A: sales}
    next: [{to: quote, cycle: retention, reason: customers switch product}]
"""
    )
    log = tmp_path / "events.csv"
    log.write_text(
        LOG_HEADER
        + "".join(
            f"c{i},quote,1\nc{i},form,2\nc{i},renew,3\nc{i},quote,4\nc{i},form,5\nc{i},renew,6\n"
            for i in range(3)
        ),
        encoding="utf-8",
    )
    evidence = compare(m, discover(read_log(log)))
    for plan in (action_plan(m, audit(m)), action_plan(m, audit(m), evidence)):
        titles = [a.title for a in plan]
        kept = [t for t in titles if "intended cycle retention" in t]
        assert kept == [
            "Keep the intended cycle retention through Form, Quote, Renew working as designed"
        ]
        # The rework loop inside it (form -> quote) is still one to cut; the cycle is not.
        assert "Cut the rework loop through Form, Quote" in titles
        assert not any("Renew" in t for t in titles if t.startswith("Cut"))
    # No customer going round the cycle is counted as rework.
    reworked = [f.entities for f in evidence.conformance.findings if f.rule == "rework"]
    assert ("renew",) not in reworked
    assert ("form", "quote", "renew") not in reworked


def test_pain_points_rank_by_emotion_within_severity() -> None:
    m = fragment(
        """
stages: [{id: s}]
functions: [{id: lead, name: Lead}]
touchpoints:
  - {id: entry, name: Entry, stage: s, entry: true, volume: 90000, next: [form],
     owners: {R: lead, A: lead}, experience: {pain_points: [Slow page], emotion: 0}}
  - {id: form, name: Form, stage: s, volume: 1000, next: [upload], owners: {R: lead, A: lead},
     experience: {pain_points: [Long form], emotion: -1}}
  - {id: upload, name: Upload, stage: s, volume: 10, next: [done], owners: {R: lead, A: lead},
     experience: [{pain_points: [Fails], emotion: 1},
                  {persona: p, pain_points: [Lost], emotion: -2}]}
  - {id: done, name: Done, stage: s, exit: true, volume: 5, owners: {R: lead},
     experience: {pain_points: [No receipt]}}
personas: [{id: p}]
"""
    )
    plan = action_plan(m, audit(m))
    assert_ranked(plan)
    pains = [a for a in plan if a.title.startswith("Plan an improvement for the pain")]
    # Independently: medium pain points, those felt as bad (emotion below 0) worst
    # first, then the rest by reach; never above the high finding.
    worst = {"entry": 0, "form": -1, "upload": -2, "done": None}
    volume = {"entry": 90000, "form": 1000, "upload": 10, "done": 5}
    expected = sorted(worst, key=lambda t: (min(worst[t] or 0, 0), -volume[t]))
    assert (
        [a.findings[0].entities[0] for a in pains]
        == expected
        == [
            "upload",
            "form",
            "entry",
            "done",
        ]
    )
    assert [a.emotion for a in pains] == [-2, -1, 0, None]
    first_medium = next(i for i, a in enumerate(plan) if a.severity.value == "medium")
    assert all(a.severity.value == "high" for a in plan[:first_medium])
    assert plan.index(pains[0]) == first_medium


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


def test_details_too_long_for_a_cell_are_cut_and_listed_on_their_own_sheet() -> None:
    from journeygraph.report.actions_format import actions_xlsx
    from journeygraph.severity import Severity
    from journeygraph.tabular import XLSX_CELL_LIMIT

    # 3,000 details of about 40 characters: 120,000 characters joined, four cells' worth.
    many = [f"At 'Touchpoint {i}', the Accountable shares nothing." for i in range(3000)]
    huge = "=" + "y" * 40_000  # one detail longer than a cell, starting like a formula
    plan = [
        Action(key=("a",), title="Few", owner="o", severity=Severity.LOW, details=["one", "two"]),
        Action(key=("b",), title="Many", owner="o", severity=Severity.HIGH, details=many),
        Action(key=("c",), title="Huge", owner="o", severity=Severity.HIGH, details=["x", huge]),
    ]
    for priority, a in enumerate(plan, start=1):
        a.priority = priority
    book = load_workbook(io.BytesIO(actions_xlsx(plan, title="t")))
    rows = list(book["actions"].iter_rows(values_only=True))
    assert rows[1][2] == "one; two"  # what fits is as before
    cut = rows[2][2]
    assert isinstance(cut, str)
    assert len(cut) <= XLSX_CELL_LIMIT
    kept = cut.split("; … and ")[0].split("; ")
    assert kept == many[: len(kept)]
    assert cut.endswith(f"; … and {len(many) - len(kept):,} more (sheet details)")
    assert len("; ".join(many[: len(kept) + 1])) > XLSX_CELL_LIMIT - 40  # no room for one more
    assert rows[3][2] == "x; … and 1 more (sheet details)"
    listed = list(book["details"].iter_rows(values_only=True))
    assert listed[0] == ("Priority", "Detail")
    assert [r for r in listed[1:] if r[0] == 2] == [(2, d) for d in many]
    huge_row = [str(r[1]) for r in listed[1:] if r[0] == 3]
    assert huge_row[0] == "x"
    assert huge_row[1].endswith(f" … and {len(huge):,} characters in all")
    assert len(huge_row[1]) <= XLSX_CELL_LIMIT
    assert huge.startswith(huge_row[1].split(" … ")[0])
    assert book["details"]["B3"].data_type == "s"  # text, never a formula


def test_a_plan_that_fits_has_no_details_sheet() -> None:
    from journeygraph.report.actions_format import actions_xlsx

    _, _, plan = _plan_with_log()
    assert load_workbook(io.BytesIO(actions_xlsx(plan, title="t"))).sheetnames == ["actions"]


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
        of |= {f"{d} department": d for d in department.values()}  # a relieved function's
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
    across a portfolio by severity, then reach, then the rules' order."""
    import re

    from journeygraph.report.html_report import html_report
    from journeygraph.report.view import build_report

    maps = [journeygraph.load(EXAMPLES / n) for n in ("b2b-saas.yaml", "mortgage.yaml")]
    results = [audit(m) for m in maps]
    plans = [
        (m.journey.label, a) for m, r in zip(maps, results, strict=True) for a in action_plan(m, r)
    ]
    order = {r: i for i, r in enumerate(AUDIT_RULE_IDS + LOG_CHECK_IDS)}
    expected = sorted(
        plans,
        key=lambda ja: (
            SEVERITY_ORDER.index(ja[1].severity.value),
            -(ja[1].reach if ja[1].reach is not None else -1),
            min((order[f.rule] for f in ja[1].findings), default=len(order)),
            ja[1].priority,
        ),
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


@pytest.mark.parametrize(
    ("name", "given", "check"),
    [
        ("plan.csv", None, lambda text: text.startswith("priority,action,details,owner")),
        ("plan.json", None, lambda text: json.loads(text)["actions"][0]["priority"] == 1),
        ("plan.md", None, lambda text: text.startswith("| # | Action |")),
        ("plan.txt", None, lambda text: text.startswith("Action plan")),
        ("plan", "json", lambda text: "actions" in json.loads(text)),
    ],
)
def test_the_output_suffix_says_the_format(
    name: str, given: str | None, check: Any, tmp_path: Path
) -> None:
    out = tmp_path / name
    code, _, err = run("actions", str(B2B), "-o", str(out), *(["-f", given] if given else []))
    assert code == ExitCode.OK, err
    assert check(out.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("name", "given", "message"),
    [
        ("plan.json", "csv", "plan.json is a .json file, but --format says csv"),
        ("plan.xlsx", "markdown", "plan.xlsx is a .xlsx file, but --format says markdown"),
        ("plan.out", None, "cannot tell the format from '.out'"),
    ],
)
def test_a_suffix_that_contradicts_the_format_is_refused(
    name: str, given: str | None, message: str, tmp_path: Path
) -> None:
    out = tmp_path / name
    code, _, err = run("actions", str(B2B), "-o", str(out), *(["-f", given] if given else []))
    assert code == ExitCode.ERROR
    assert message in err
    assert not out.exists()


def test_the_first_actions_are_those_of_every_action_ranked() -> None:
    # first_actions ranks only each plan's first few (a plan's priorities follow its ranks).
    from journeygraph.actions import first_actions

    plans = []
    for path in [
        "examples/b2b-saas.yaml",
        "examples/mortgage.yaml",
        "tests/fixtures/dense-300.yaml",
    ]:
        m = journeygraph.load(path)
        plans.append((m.journey.label, action_plan(m, journeygraph.audit(m))))
    every = sorted(
        ((name, a) for name, plan in plans for a in plan),
        key=lambda ja: (ja[1].rank[:4], ja[1].priority),
    )
    for n in (1, 3, 10):
        assert first_actions(plans, n) == every[:n]
        assert first_actions(plans[1:], n) == [ja for ja in every if ja[0] != plans[0][0]][:n]
