"""The shipped Cypher, executed on LadybugDB, against the in-process engine.

Every audit query runs unchanged on the embedded engine (the dialect
differences are absorbed where data is loaded, see `tests.store.embedded`);
the findings must equal the in-process audit's in rule, severity, entities,
message and details, on every rule case, every example and random maps.

The ``sync/`` queries run here too: every map is loaded with the real push
(see ``test_push.py`` for the mirror semantics). Exceptions, queries that do
not run here, and why:

* ``schema.cypher``: Neo4j's constraint DDL; the embedded tables stand for it.
* Two explore queries use constructs LadybugDB's parser lacks, listed in
  `NEO4J_ONLY`. Neo4j's analyser checks all three (``scripts/lint-cypher``),
  and the ``neo4j`` tests run the schema on a server.
"""

from __future__ import annotations

from collections import Counter
from fractions import Fraction
from functools import partial
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from journeygraph import AuditConfig, JourneyMap, audit, load
from journeygraph.algorithms import unreachable_touchpoints
from journeygraph.audit import AuditResult
from journeygraph.model import ROLES
from journeygraph.rule_ids import AUDIT_RULE_IDS
from journeygraph.store import library
from journeygraph.store.audit import TRAVERSALS, cypher_audit
from journeygraph.store.findings import write_findings
from journeygraph.store.reader import journeys, pull
from journeygraph.testing import RuleCase, fragment, load_cases
from tests.conftest import EXAMPLES
from tests.rules.test_rule_cases import CASES
from tests.store.embedded import Ladybug
from tests.test_properties import journey_maps

# One worker runs them all (--dist loadgroup), so the examples are loaded once.
pytestmark = pytest.mark.xdist_group("embedded-examples")

NEO4J_ONLY = {
    "explore/entry-to-purchase-paths": "a quantified path pattern and COLLECT {} subqueries",
    "explore/function-handoffs": "a CALL (me) {} subquery with UNION",
}

Row = tuple[str, str, tuple[str, ...], str, dict[str, Any], str | None]


def _rows(findings: Any) -> list[Row]:
    return [
        (f.rule, f.severity.value, f.entities, f.message, dict(f.details), f.waiver)
        for f in findings
    ]


def _assert_same(got: AuditResult, want: AuditResult) -> None:
    assert _rows(got.findings) == _rows(want.findings)
    assert _rows(got.waived) == _rows(want.waived)
    assert got.unused_waivers == want.unused_waivers
    assert got.touchpoints == want.touchpoints


def _cases() -> list[Any]:
    # The audit rules' cases: the log checks have no Cypher, a refused map no audit.
    return [
        pytest.param(case, id=case.id)
        for case in load_cases(CASES)
        if case.rule in AUDIT_RULE_IDS and not case.errors
    ]


@pytest.mark.parametrize("case", _cases())
def test_rule_case_runs_the_same_in_cypher(case: RuleCase) -> None:
    m = fragment(case.map)
    config = None if case.config is None else AuditConfig.model_validate(case.config)
    db = Ladybug()
    db.load(m)
    want = audit(m, config=config)
    _assert_same(cypher_audit(db, m.journey.id, config=config), want)
    if case.rule in TRAVERSALS:  # searched in the database too, by their queries
        _assert_same(cypher_audit(db, m.journey.id, config=config, in_database=True), want)


@pytest.fixture(scope="module")
def examples() -> tuple[Ladybug, list[JourneyMap]]:
    """Every example in one database, sharing functions and departments."""
    db = Ladybug()
    maps = [load(path) for path in sorted(EXAMPLES.glob("*.yaml"))]
    for m in maps:
        db.load(m)
    for m in maps:  # what `neo4j audit --write` stores, for the queries that read it
        db.write(partial(write_findings, result=cypher_audit(db, m.journey.id)))
    return db, maps


@pytest.mark.parametrize("in_database", [False, True], ids=["pulled", "in-database"])
def test_examples_audit_the_same_in_cypher(
    examples: tuple[Ladybug, list[JourneyMap]], in_database: bool
) -> None:
    # Loops and reachability on the pulled transitions (`neo4j audit`), or
    # searched in the database by audit/loop and audit/reach-step.
    db, maps = examples
    assert sorted(journeys(db)) == sorted(m.journey.id for m in maps)
    for m in maps:
        got = cypher_audit(db, m.journey.id, in_database=in_database)
        assert got.findings, "the examples are meant to have findings"
        _assert_same(got, audit(m))


def test_examples_read_back_equal(examples: tuple[Ladybug, list[JourneyMap]]) -> None:
    db, maps = examples
    for m in maps:
        assert pull(db, m.journey.id) == m


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(journey_maps())
def test_random_maps_audit_the_same_in_cypher(data: dict[str, Any]) -> None:
    m = JourneyMap.model_validate(data)
    db = Ladybug()
    db.load(m)
    want = audit(m)
    _assert_same(cypher_audit(db, m.journey.id), want)
    _assert_same(cypher_audit(db, m.journey.id, in_database=True), want)


def _unreachable_by_query(db: Ladybug, m: JourneyMap) -> list[str]:
    q = library.query("audit/unreachable-touchpoint")
    found = {row["entities"][0] for row in db.run(q.text, {"journey": m.journey.id})}
    return [t.id for t in m.touchpoints if t.id in found]


def test_examples_unreachable_query_agrees(examples: tuple[Ladybug, list[JourneyMap]]) -> None:
    # `neo4j audit` searches the pulled transitions, or stepwise in the database
    # (`unreachable_rows`); the one-query version shipped for Browser must give
    # the same touchpoints.
    db, maps = examples
    for m in maps:
        assert _unreachable_by_query(db, m) == list(unreachable_touchpoints(m.to_networkx()))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(journey_maps())
def test_random_maps_unreachable_query_agrees(data: dict[str, Any]) -> None:
    m = JourneyMap.model_validate(data)
    db = Ladybug()
    db.load(m)
    assert _unreachable_by_query(db, m) == list(unreachable_touchpoints(m.to_networkx()))


@pytest.mark.parametrize(
    "query",
    [
        q
        for group in ("audit", "explore")
        for q in library.queries(group)
        if q.name not in NEO4J_ONLY
    ],
    ids=lambda q: q.name,
)
def test_query_returns_the_columns_its_header_names(
    query: library.Query, examples: tuple[Ladybug, list[JourneyMap]]
) -> None:
    db, maps = examples
    m = maps[0]
    values = {
        "journey": m.journey.id,
        "function": m.functions[0].id,
        "department": m.departments[0].id,
        "overload_min": 3,
        "overload_share_numerator": 1,
        "overload_share_denominator": 4,
        "concentration_min": 2,
        "concentration_share_numerator": 1,
        "concentration_share_denominator": 10,
        "capacity_share_numerator": 1,
        "capacity_share_denominator": 100,
        "limit": 5,
        "target": "signature",
    }
    # A touchpoint audit/loop starts from, so that it returns a row to check.
    starts = db.run(library.query("audit/loop-starts").text, {"journey": m.journey.id})
    values["start"] = starts[0]["start"]
    # The entries, where audit/reach-step's search starts.
    entries = db.run(library.query("audit/entries").text, {"journey": m.journey.id})
    values["frontier"] = [row["touchpoint"] for row in entries]
    # $revision: the journey's current one, read by journeygraph (`Pinned`).
    missing = set(query.parameters) - set(values) - {"revision"}
    assert not missing, f"no test value for {sorted(missing)}"
    rows = db.run(query.text, {p: values[p] for p in query.parameters if p in values})
    assert list(rows[0]) == list(query.returns) if rows else query.name.startswith("audit/")


def test_neo4j_only_queries_exist() -> None:
    names = {q.name for group in ("audit", "explore") for q in library.queries(group)}
    assert set(NEO4J_ONLY) <= names
    assert not any(name.startswith("audit/") for name in NEO4J_ONLY)


def test_coverage_matrix_query_matches_the_engine(
    examples: tuple[Ladybug, list[JourneyMap]],
) -> None:
    db, maps = examples
    for m in maps:
        rows = db.run(library.query("explore/coverage-matrix").text, {"journey": m.journey.id})
        columns = dict(
            zip(ROLES, ("responsible", "accountable", "consulted", "informed"), strict=True)
        )
        got = Counter(
            {(r["stage"], r["function"], role): r[c] for r in rows for role, c in columns.items()}
        )
        want = Counter(
            (t.stage, f, role) for t in m.touchpoints for role in ROLES for f in t.owners.role(role)
        )
        assert +got == want


@pytest.mark.parametrize(
    ("responsible_for", "touchpoints", "share"),
    [(29, 50, 0.58), (30, 50, 0.58), (3, 10, 0.3), (4, 10, 0.3), (7, 10, 0.7), (1, 3, 0.33)],
)
def test_overload_at_the_exact_threshold_agrees(
    responsible_for: int, touchpoints: int, share: float
) -> None:
    """Both engines compare exactly: at 29 of 50 and a share of 0.58, no finding."""
    lines = ["stages: [{id: s}]", "functions: [{id: busy}, {id: other}]", "touchpoints:"]
    for i in range(touchpoints):
        owner = "busy" if i < responsible_for else "other"
        lines.append(f"  - {{id: t{i}, stage: s, owners: {{R: [{owner}], A: [{owner}]}}}}")
    config = AuditConfig.model_validate(
        {"thresholds": {"overload_share": share, "overload_min": 1}}
    )
    m = fragment("\n".join(lines))
    db = Ladybug()
    db.load(m)
    got = cypher_audit(db, m.journey.id, config=config)
    want = audit(m, config=config)
    _assert_same(got, want)
    # The definition, in integers: more than the share, as the decimal says it.
    numerator, denominator = (int(x) for x in Fraction(str(share)).as_integer_ratio())
    expected = responsible_for * denominator > numerator * touchpoints
    flagged = {f.entities for f in want.findings if f.rule == "overloaded-function"}
    assert (("busy",) in flagged) == expected


def test_the_journey_node_reaches_its_whole_map(
    examples: tuple[Ladybug, list[JourneyMap]],
) -> None:
    # Browser and Bloom expand from the journey: its stages and through them its
    # touchpoints, and the functions and departments it lists, in map order.
    db, maps = examples
    for m in maps:
        given = {"j": m.journey.id}
        touchpoints = db.run(
            "MATCH (:Journey {id: $j})-[:HAS_STAGE]->(:Stage)<-[:IN_STAGE]-(t:Touchpoint) "
            "RETURN t.id AS id",
            given,
        )
        assert sorted(r["id"] for r in touchpoints) == sorted(t.id for t in m.touchpoints)
        for kind, label, listed in (
            ("HAS_FUNCTION", "JobFunction", m.functions),
            ("HAS_DEPARTMENT", "Department", m.departments),
        ):
            rows = db.run(
                f"MATCH (:Journey {{id: $j}})-[r:{kind}]->(x:{label}) "
                "RETURN x.id AS id, r.position AS position",
                given,
            )
            ordered = [r["id"] for r in sorted(rows, key=lambda r: r["position"])]
            assert ordered == [x.id for x in listed], (m.journey.id, kind)


def test_touchpoints_by_findings_counts_the_audits_own_findings(
    examples: tuple[Ladybug, list[JourneyMap]],
) -> None:
    db, maps = examples
    on_others = {"empty-stage", "single-owner-stage", "missing-metric"} | {
        "idle-function",
        "overloaded-function",
        "unused-handoff",
        "handoff-without-sla",
        "accountability-concentration",
        "capacity-overload",
    }
    for m in maps:
        q = library.query("explore/touchpoints-by-findings")
        rows = db.run(q.text, {"journey": m.journey.id})
        findings: Counter[str] = Counter()
        high: Counter[str] = Counter()
        rules: dict[str, set[str]] = {}
        for f in audit(m).findings:  # waived ones are not listed
            if f.rule in on_others:
                continue
            for t in set(f.entities):
                findings[t] += 1
                high[t] += f.severity.value == "high"
                rules.setdefault(t, set()).add(f.rule)
        assert {r["touchpoint"]: (r["high"], r["findings"], set(r["rules"])) for r in rows} == {
            t: (high[t], n, rules[t]) for t, n in findings.items()
        }
        keys = [(-r["high"], -r["findings"], r["touchpoint"]) for r in rows]
        assert keys == sorted(keys)
