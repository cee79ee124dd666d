"""Edits made to a map's text: the file then loads to the expected map, and nothing else moves.

Each edit kind runs on a copy of an example; the test reads the result back with
the map loader, checks the edited value, checks that every comment of the file is
still there, and compares the lines before and after as ``git diff`` would: only
the lines the edit is about change.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from typing import Any

import pytest

from journeygraph import loads
from journeygraph.exceptions import MapError
from journeygraph.model import JourneyMap
from journeygraph.roles import ROLES
from journeygraph.serve.document import (
    DELETES,
    EDIT_KINDS,
    Edit,
    apply_edit,
    inverse,
    round_trip,
)
from tests.conftest import EXAMPLES

B2B = (EXAMPLES / "b2b-saas.yaml").read_text(encoding="utf-8")
HELPDESK = (EXAMPLES / "helpdesk.yaml").read_text(encoding="utf-8")
MORTGAGE = (EXAMPLES / "mortgage.yaml").read_text(encoding="utf-8")
MORTGAGE_OPPORTUNITY = loads(MORTGAGE, "mortgage.yaml").opportunities[0].id


def touchpoint(m: JourneyMap, key: str) -> Any:
    return next(t for t in m.touchpoints if t.id == key)


def function(m: JourneyMap, key: str) -> Any:
    return next(f for f in m.functions if f.id == key)


def department(m: JourneyMap, key: str) -> Any:
    return next(d for d in m.departments if d.id == key)


def changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    """The lines taken out and put in, as a line diff shows them."""
    diff = list(difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0))
    removed = [d[1:] for d in diff if d.startswith("-") and not d.startswith("---")]
    added = [d[1:] for d in diff if d.startswith("+") and not d.startswith("+++")]
    return removed, added


def comments(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip().startswith("#")]


SMALL = """\
version: 1
journey: {id: small, name: Small}
stages:
  - {id: buy, name: Buy}
functions:
  # who does the work
  - {id: sales, name: Sales}
  - {id: support, name: Support}
touchpoints:
  # the start
  - {id: shop, stage: buy, entry: true, owners: {R: sales, A: sales}, next: [cart, pay]}
  - {id: cart, stage: buy, owners: {R: support, A: sales}, next: [pay]}
  # the end
  - {id: pay, stage: buy, exit: true, owners: {R: support, C: sales}}
handoffs:
  - {from: sales, to: support, sla: 1d, at: [[shop, cart], [shop, pay]]}
opportunities:
  - {id: faster, name: Faster checkout, owner: support, touchpoints: [cart, pay]}
"""


def handoff_scopes(m: JourneyMap) -> list[list[tuple[str, str]]]:
    return [list(h.at) for h in m.handoffs]


# (text, edit, check of the loaded map, lines removed, lines added)
Case = tuple[str, Edit, Callable[[JourneyMap], bool], int, int]
CASES: dict[str, Case] = {
    "raci-set": (
        B2B,
        Edit("raci", ("social-post", "marketing", "A"), value=True),
        lambda m: touchpoint(m, "social-post").owners.accountable == ["marketing"],
        1,
        1,
    ),
    "raci-set-second": (
        B2B,
        Edit("raci", ("search-ad", "content-marketing", "R"), value=True),
        lambda m: touchpoint(m, "search-ad").owners.responsible == ["seo", "content-marketing"],
        1,
        1,
    ),
    "raci-clear": (
        B2B,
        Edit("raci", ("search-ad", "marketing", "A"), value=False),
        lambda m: touchpoint(m, "search-ad").owners.accountable == [],
        1,
        1,
    ),
    "touchpoint-add": (
        B2B,
        Edit("touchpoint-add", ("podcast",), value={"name": "Podcast", "stage": "awareness"}),
        lambda m: touchpoint(m, "podcast").stage == "awareness",
        0,
        1,
    ),
    "touchpoint-rename": (
        B2B,
        Edit("touchpoint-set", ("search-ad",), "name", "Paid search ad"),
        lambda m: touchpoint(m, "search-ad").name == "Paid search ad",
        1,
        1,
    ),
    "touchpoint-stage": (
        B2B,
        Edit("touchpoint-set", ("social-post",), "stage", "consideration"),
        lambda m: touchpoint(m, "social-post").stage == "consideration",
        1,
        1,
    ),
    "touchpoint-channel": (
        B2B,
        Edit("touchpoint-set", ("social-post",), "channel", "yes"),
        lambda m: touchpoint(m, "social-post").channel == "yes",
        1,
        1,
    ),
    "touchpoint-entry": (
        B2B,
        Edit("touchpoint-set", ("social-post",), "entry", True),
        lambda m: touchpoint(m, "social-post").entry is True,
        0,
        1,
    ),
    "touchpoint-exit": (
        B2B,
        Edit("touchpoint-set", ("social-post",), "exit", True),
        lambda m: touchpoint(m, "social-post").exit is True,
        0,
        1,
    ),
    "touchpoint-volume": (
        B2B,
        Edit("touchpoint-set", ("social-post",), "volume", "1200"),
        lambda m: touchpoint(m, "social-post").volume == 1200,
        0,
        1,
    ),
    "touchpoint-handle-time": (
        B2B,
        Edit("touchpoint-set", ("social-post",), "handle_minutes", "7.5"),
        lambda m: touchpoint(m, "social-post").handle_minutes == 7.5,
        0,
        1,
    ),
    "transition-add": (
        B2B,
        Edit("transition-add", ("social-post", "blog-article")),
        lambda m: (
            [n.to for n in touchpoint(m, "social-post").next] == ["landing-page", "blog-article"]
        ),
        1,
        1,
    ),
    "transition-remove": (
        HELPDESK,
        Edit("transition-remove", ("wait", "take-in-charge")),
        lambda m: [n.to for n in touchpoint(m, "wait").next] == ["resolve-ticket"],
        1,
        1,
    ),
    "function-add": (
        B2B,
        Edit("function-add", ("growth",), value={"name": "Growth", "department": "marketing"}),
        lambda m: function(m, "growth").department == "marketing",
        0,
        1,
    ),
    "function-rename": (
        B2B,
        Edit("function-set", ("seo",), "name", "Search specialist"),
        lambda m: function(m, "seo").name == "Search specialist",
        1,
        1,
    ),
    "function-department": (
        B2B,
        Edit("function-set", ("seo",), "department", "product"),
        lambda m: function(m, "seo").department == "product",
        1,
        1,
    ),
    "function-fte": (
        HELPDESK,
        Edit("function-set", ("first-line",), "fte", "7.5"),
        lambda m: function(m, "first-line").fte == 7.5,
        1,
        1,
    ),
    "department-add": (
        B2B,
        Edit("department-add", ("finance",), value={"name": "Finance"}),
        lambda m: department(m, "finance").name == "Finance",
        0,
        1,
    ),
    "department-rename": (
        B2B,
        Edit("department-set", ("legal",), "name", "Legal & compliance"),
        lambda m: department(m, "legal").name == "Legal & compliance",
        1,
        1,
    ),
    "department-external": (
        B2B,
        Edit("department-set", ("legal",), "external", True),
        lambda m: department(m, "legal").external is True,
        1,
        1,
    ),
    "handoff-declare": (
        B2B,
        Edit(
            "handoff-add",
            ("seo", "content-marketing"),
            value={"sla": "2d", "artefact": "Keyword list", "system": "CRM", "at": []},
        ),
        lambda m: any(
            (h.from_, h.to, h.sla, h.artefact, h.system)
            == ("seo", "content-marketing", "2d", "Keyword list", "CRM")
            for h in m.handoffs
        ),
        0,
        1,
    ),
    "handoff-declare-at": (
        B2B,
        Edit(
            "handoff-add",
            ("social-media", "seo"),
            value={"sla": "4h", "at": [["social-post", "landing-page"]]},
        ),
        lambda m: m.handoffs[-1].at == [("social-post", "landing-page")],
        0,
        1,
    ),
    "opportunity-add": (
        B2B,
        Edit("opportunity-add", ("faster-trial",), value={"name": "Faster trial"}),
        lambda m: m.opportunities[-1].id == "faster-trial",
        0,
        2,
    ),
    "opportunity-owner": (
        MORTGAGE,
        Edit("opportunity-set", (MORTGAGE_OPPORTUNITY,), "owner", "underwriter"),
        lambda m: m.opportunities[0].owner == "underwriter",
        1,
        1,
    ),
    "opportunity-status": (
        MORTGAGE,
        Edit("opportunity-set", (MORTGAGE_OPPORTUNITY,), "status", "done"),
        lambda m: m.opportunities[0].status == "done",
        1,
        1,
    ),
    "opportunity-touchpoints": (
        MORTGAGE,
        Edit("opportunity-set", (MORTGAGE_OPPORTUNITY,), "touchpoints", ["valuation"]),
        lambda m: m.opportunities[0].touchpoints == ["valuation"],
        1,
        1,
    ),
    "experience-emotion": (
        HELPDESK,
        Edit("experience-set", ("wait", ""), "emotion", "-2"),
        lambda m: touchpoint(m, "wait").experience[0].emotion == -2,
        1,
        1,
    ),
    "experience-pain-points": (
        HELPDESK,
        Edit("experience-set", ("insert-ticket", "customer"), "pain_points", "slow\nwhy?"),
        lambda m: touchpoint(m, "insert-ticket").experience[-1].pain_points == ["slow", "why?"],
        0,
        2,
    ),
    "experience-quotes": (
        B2B,
        Edit("experience-set", ("search-ad", ""), "quotes", "Too many ads"),
        lambda m: touchpoint(m, "search-ad").experience[0].quotes == ["Too many ads"],
        0,
        2,
    ),
    "touchpoint-delete": (
        SMALL,
        Edit("touchpoint-delete", ("cart",), was=True),
        lambda m: (
            [t.id for t in m.touchpoints] == ["shop", "pay"]
            and [n.to for n in touchpoint(m, "shop").next] == ["pay"]
            and handoff_scopes(m) == [[("shop", "pay")]]
            and m.opportunities[0].touchpoints == ["pay"]
        ),
        4,
        3,
    ),
    "touchpoint-delete-example": (
        B2B,
        Edit("touchpoint-delete", ("review-sites",), was=True),
        lambda m: "review-sites" not in [t.id for t in m.touchpoints],
        6,
        0,
    ),
    "function-delete": (
        SMALL,
        Edit("function-delete", ("support",), was=True),
        lambda m: (
            [f.id for f in m.functions] == ["sales"]
            and touchpoint(m, "cart").owners.responsible == []
            and touchpoint(m, "pay").owners.consulted == ["sales"]
            and m.handoffs == []
            and m.opportunities[0].owner is None
        ),
        6,
        3,
    ),
    "function-delete-example": (
        B2B,
        Edit("function-delete", ("seo",), was=True),
        lambda m: (
            "seo" not in [f.id for f in m.functions]
            and all("seo" not in t.owners.role(r) for t in m.touchpoints for r in ROLES)
            and all("seo" not in (h.from_, h.to) for h in m.handoffs)
        ),
        6,
        3,
    ),
}


@pytest.mark.parametrize("name", CASES)
def test_edit_loads_to_the_expected_map_and_changes_only_its_lines(name: str) -> None:
    text, edit, expected, removed_count, added_count = CASES[name]
    after = apply_edit(text, edit)
    m = loads(after, "edited.yaml")
    assert expected(m)
    removed, added = changed_lines(text, after)
    assert (len(removed), len(added)) == (removed_count, added_count), (removed, added)
    assert comments(after) == comments(text)
    assert loads(text, "before.yaml") != m


def test_every_edit_kind_has_a_case() -> None:
    covered = {case[1].kind for case in CASES.values()}
    undone = {
        "touchpoint-remove",
        "function-remove",
        "department-remove",
        "handoff-remove",
        "opportunity-remove",
    }
    assert set(EDIT_KINDS) == covered | undone


@pytest.mark.parametrize(
    "name",
    [n for n in CASES if CASES[n][1].kind not in ("experience-set", *DELETES)],
)
def test_the_inverse_edit_gives_the_file_back(name: str) -> None:
    from journeygraph.serve.document import current_value

    text, edit, *_ = CASES[name]
    import yaml

    was = current_value(yaml.safe_load(text), edit)
    assert apply_edit(apply_edit(text, edit), inverse(edit, was)) == text


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.name)
def test_an_edit_that_changes_nothing_leaves_every_example_as_written(example: Any) -> None:
    text = example.read_text(encoding="utf-8")
    m = loads(text, str(example))
    first = m.touchpoints[0]
    held = first.owners.responsible[0]
    assert apply_edit(text, Edit("raci", (first.id, held, "R"), value=True)) == text


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.name)
def test_an_edit_on_every_example_changes_one_line(example: Any) -> None:
    text = example.read_text(encoding="utf-8")
    m = loads(text, str(example))
    last = m.touchpoints[-1]
    after = apply_edit(text, Edit("touchpoint-set", (last.id,), "channel", "kiosk"))
    assert touchpoint(loads(after, "e.yaml"), last.id).channel == "kiosk"
    removed, added = changed_lines(text, after)
    assert len(added) == 1
    assert len(removed) <= 1
    assert comments(after) == comments(text)


def test_a_flow_mapping_over_two_lines_stays_as_written_unless_edited() -> None:
    text = (EXAMPLES / "mortgage.yaml").read_text(encoding="utf-8")
    assert round_trip(text) != text  # ruamel alone would join the lines
    after = apply_edit(text, Edit("department-set", ("lending",), "name", "Loans"))
    removed, added = changed_lines(text, after)
    assert len(removed) == len(added) == 1


def test_crlf_and_text_that_yaml_11_reads_otherwise_are_kept() -> None:
    text = B2B.replace("\n", "\r\n")
    after = apply_edit(text, Edit("touchpoint-set", ("social-post",), "channel", "on"))
    assert after.count("\r\n") == after.count("\n")
    assert touchpoint(loads(after, "e.yaml"), "social-post").channel == "on"


@pytest.mark.parametrize(
    "edit",
    [
        Edit("raci", ("nowhere", "seo", "R"), value=True),
        Edit("raci", ("search-ad", "seo", "X"), value=True),
        Edit("touchpoint-set", ("search-ad",), "owners", "seo"),
        Edit("touchpoint-set", ("search-ad",), "volume", "lots"),
        Edit("surprise", ("search-ad",)),
    ],
    ids=["unknown-touchpoint", "unknown-role", "field-not-edited", "not-a-number", "unknown-kind"],
)
def test_an_edit_that_names_what_is_not_there_is_refused(edit: Edit) -> None:
    with pytest.raises(MapError):
        apply_edit(B2B, edit)


@pytest.mark.parametrize(
    ("key", "named"),
    [
        ("document-upload", "the handoff underwriter -> mortgage-adviser"),
        ("valuation", "the opportunity 'valuation-booking'"),
    ],
)
def test_a_touchpoint_something_still_needs_is_not_removed(key: str, named: str) -> None:
    with pytest.raises(MapError) as refused:
        apply_edit(MORTGAGE, Edit("touchpoint-delete", (key,), was=True))
    message = str(refused.value)
    assert f"touchpoint {key!r} cannot be removed: {named}" in message
