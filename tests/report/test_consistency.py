"""One truth across views: the scorecard's handoff figures against a computation from the
map's own data, a waived gap drawn and counted as waived, the log's checks counted."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings

import journeygraph
from journeygraph.audit import audit
from journeygraph.model import JourneyMap
from journeygraph.render import View, diagram
from journeygraph.report.scorecard import scorecard
from journeygraph.report.view import build_report
from tests.conftest import EXAMPLES
from tests.test_properties import journey_maps

B2B = EXAMPLES / "b2b-saas.yaml"


def _by_hand(m: JourneyMap) -> dict[str, int]:
    """The scorecard's handoff figures from the map's lists, without the graph."""
    responsible = {t.id: set(t.owners.responsible) for t in m.touchpoints}
    changes = [
        (t.id, s.to)
        for t in m.touchpoints
        for s in t.next
        if t.id != s.to
        and responsible[t.id]
        and responsible[s.to]
        and not responsible[t.id] & responsible[s.to]
    ]
    scope = {(h.from_, h.to): {tuple(x) for x in h.at} or None for h in m.handoffs}

    def covered(a: str, b: str) -> bool:
        return any(
            (f, g) in scope and (scope[(f, g)] is None or (a, b) in scope[(f, g)])  # type: ignore[operator]
            for f in responsible[a]
            for g in responsible[b]
        )

    needed = {(f, g) for a, b in changes for f in responsible[a] for g in responsible[b]}
    waived = {
        tuple(w.entities) for w in m.audit.waivers if w.rule == "handoff-gap"
    }  # fmt: skip
    return {
        "changes_of_hands": len(changes),
        "covered_changes": sum(covered(a, b) for a, b in changes),
        "waived_changes": sum(1 for c in changes if not covered(*c) and c in waived),
        "needed_pairs": len(needed),
        "covered_pairs": len(needed & set(scope)),
        "unused_handoffs": len(set(scope) - needed),
    }


def _card_figures(m: JourneyMap) -> dict[str, int]:
    card = scorecard(m, audit(m))
    return {key: getattr(card, key) for key in _by_hand(m)}


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_the_scorecard_counts_what_the_map_says(example: Path) -> None:
    m = journeygraph.load(example)
    assert _card_figures(m) == _by_hand(m)


def test_the_b2b_scorecard_counts_only_needed_pairs_with_a_handoff() -> None:
    """The reviewer's count: 24 of the 33 pairs that need a handoff have one (25 was shown,
    counting a declared handoff no customer needs)."""
    card = scorecard(journeygraph.load(B2B), audit(journeygraph.load(B2B)))
    assert (card.covered_pairs, card.needed_pairs, card.declared_handoffs) == (24, 33, 25)
    assert card.waived_changes == 1


@settings(max_examples=60, deadline=None)
@given(data=journey_maps())
def test_random_maps_scorecard(data: dict[str, Any]) -> None:
    m = JourneyMap.model_validate(data)
    assert _card_figures(m) == _by_hand(m)


@pytest.mark.graphviz
def test_a_waived_gap_is_drawn_as_waived_in_the_handoff_network() -> None:
    m = journeygraph.load(B2B)
    result = audit(m)
    (waived,) = [f for f in result.waived if f.rule == "handoff-gap"]
    a, b = waived.entities
    owners = {t.id: t.owners.responsible for t in m.touchpoints}
    source = diagram(View.HANDOFFS, m, result).dot.source
    names = {f.id: f.label for f in m.functions}
    pair = f"{names[owners[a][0]]} -> {names[owners[b][0]]}"
    # The pair's edge says the gap is waived, dashed grey, and not red.
    lines = [line for line in source.splitlines() if "gap waived" in line and "->" in line]
    assert lines, pair
    assert all("#c62828" not in line and "dashed" in line for line in lines)


def test_the_logs_checks_are_counted_and_listed_with_the_audits() -> None:
    from journeygraph.evidence import compare, discover, read_log

    m = journeygraph.load(B2B)
    result = audit(m)
    evidence = compare(m, discover(read_log(EXAMPLES / "b2b-saas-events.csv")))
    report = build_report([m], [result], evidence={m.id: evidence})
    card = report.journeys[0].card
    # Counted apart: the map's findings, and the log's checks.
    assert card.findings == result.summary()
    assert card.log_findings == evidence.conformance.summary()
    listed = {group.rule.id for group in report.groups}
    assert {f.rule for f in evidence.conformance.findings} <= listed
    assert report.total_findings == len(result.findings) + len(evidence.conformance.findings)


@pytest.mark.graphviz
def test_the_report_names_files_without_their_folders(tmp_path: Path) -> None:
    from journeygraph.evidence import compare, discover, read_log
    from journeygraph.report.html_report import html_report
    from journeygraph.report.markdown_report import markdown_report

    m = journeygraph.load(B2B)
    log = EXAMPLES / "b2b-saas-events.csv"
    evidence = compare(m, discover(read_log(log.resolve())))
    report = build_report([m], [audit(m)], evidence={m.id: evidence})
    for text in (html_report(report), markdown_report(report)):
        assert str(EXAMPLES.resolve()) not in text
        assert "b2b-saas-events.csv" in text


Figures = tuple[dict[tuple[str, str, str], int], dict[str, tuple[int, int]], list[str]]
"""Role counts per (function, stage, role); per stage, touchpoints without and with several
Accountable; the empty stages."""


def _matrix_by_hand(m: JourneyMap) -> Figures:
    counts: dict[tuple[str, str, str], int] = {}
    accountable = {s.id: (0, 0) for s in m.stages}
    for t in m.touchpoints:
        for role in "RACI":
            for f in t.owners.role(role):  # type: ignore[arg-type]
                counts[(f, t.stage, role)] = counts.get((f, t.stage, role), 0) + 1
        none, several = accountable[t.stage]
        given = len(t.owners.accountable)
        accountable[t.stage] = (none + (given == 0), several + (given > 1))
    empty = [s.id for s in m.stages if not any(t.stage == s.id for t in m.touchpoints)]
    return counts, accountable, empty


def _matrix_figures(m: JourneyMap) -> Figures:
    from journeygraph.algorithms import coverage_matrix

    matrix = coverage_matrix(m.to_networkx())
    counts = {
        (row.function, s, role): n
        for row in matrix.rows
        for s, held in row.counts.items()
        for role, n in held.items()
    }
    return counts, matrix.accountable, matrix.empty


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_the_matrix_counts_what_the_map_says(example: Path) -> None:
    m = journeygraph.load(example)
    assert _matrix_figures(m) == _matrix_by_hand(m)


@settings(max_examples=60, deadline=None)
@given(data=journey_maps())
def test_random_maps_matrix_counts(data: dict[str, Any]) -> None:
    m = JourneyMap.model_validate(data)
    assert _matrix_figures(m) == _matrix_by_hand(m)


@pytest.mark.graphviz
def test_the_matrix_says_counts_and_empty_stages() -> None:
    m = fragment_map()
    source = diagram(View.MATRIX, m, audit(m)).dot.source
    assert "R×2" in source
    assert "empty stage" in source
    assert "✗ none" not in source  # an empty stage is not an unowned one
    assert "1 without" in source


def fragment_map() -> JourneyMap:
    from journeygraph.testing import fragment

    return fragment(
        """
stages: [{id: a}, {id: b}]
functions: [{id: desk}]
touchpoints:
  - {id: t1, stage: a, next: [t2], owners: {R: desk, A: desk}}
  - {id: t2, stage: a, exit: true, owners: {R: desk}}
"""
    )


def _loops_enumerated(m: JourneyMap) -> list[tuple[str, int]]:
    """The scorecard's loop counts as the loops themselves give them, kinds in their order."""
    from collections import Counter

    from journeygraph.algorithms import loops

    return list(Counter(str(loop.kind) for loop in loops(m.to_networkx())).items())


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_the_scorecard_counts_the_loops_the_audit_found(example: Path) -> None:
    m = journeygraph.load(example)
    assert list(scorecard(m, audit(m)).loops.items()) == _loops_enumerated(m)


def test_the_scorecard_counts_loops_the_audit_did_not_look_for_or_waived() -> None:
    from journeygraph.model import AuditConfig, Waiver

    m = journeygraph.load(B2B)
    expected = _loops_enumerated(m)
    assert expected  # the example has loops to count
    disabled = audit(m, config=AuditConfig(disable=["loop"]))
    assert not [f for f in disabled.findings if f.rule == "loop"]
    assert list(scorecard(m, disabled).loops.items()) == expected
    loop = next(f for f in audit(m).findings if f.rule == "loop")
    waiver = Waiver(rule="loop", entities=list(loop.entities), reason="by design")
    waived = audit(m, config=AuditConfig(waivers=[waiver]))
    assert loop.entities in {f.entities for f in waived.waived}
    assert list(scorecard(m, waived).loops.items()) == expected


@settings(max_examples=60, deadline=None)
@given(data=journey_maps())
def test_random_maps_scorecard_loops(data: dict[str, Any]) -> None:
    m = JourneyMap.model_validate(data)
    assert list(scorecard(m, audit(m)).loops.items()) == _loops_enumerated(m)
