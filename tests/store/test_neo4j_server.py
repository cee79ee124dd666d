"""Against a real Neo4j server: the one the tests start (tests/neo4j_server.py), or
NEO4J_TEST_URI. Never NEO4J_URI, the database a user works with.

The tests empty the database, so they refuse one that holds any node they did
not create.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from functools import partial
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings

from journeygraph import AuditConfig, JourneyMap, audit, load
from journeygraph.audit import AuditResult
from journeygraph.exceptions import StoreError
from journeygraph.store import gds, library, staging
from journeygraph.store.audit import cypher_audit
from journeygraph.store.driver import Neo4jStore, Settings, connect, unsupported
from journeygraph.store.findings import finding_rows, write_findings
from journeygraph.store.reader import journeys, pull
from journeygraph.store.rows import UPSERT_ORDER, batches, rows_of
from journeygraph.store.runner import Runner
from journeygraph.store.staging import push_journey
from journeygraph.store.writer import delete_journey, ensure_schema, lock, push
from journeygraph.testing import fragment
from tests.conftest import EXAMPLES
from tests.store.test_embedded import _assert_same
from tests.store.test_push import _edited, _sharing
from tests.test_properties import journey_maps

pytestmark = pytest.mark.neo4j

EXAMPLE_MAPS = sorted(EXAMPLES.glob("*.yaml"))


OTHER_APP = "other-app"
"""The ``app`` property of the nodes these tests create as another application's."""

# A node the tests leave in a database they may empty: a NEO4J_TEST_URI database
# without it, holding anything at all, is not theirs to empty.
_SCRATCH = "MERGE (:JourneyGraphTestScratch {note: 'journeygraph tests may empty this database'})"


@pytest.fixture(scope="module")
def server(neo4j_settings: Settings) -> Iterator[Neo4jStore]:
    with connect(neo4j_settings) as store:
        (row,) = store.run(
            "RETURN count { MATCH (n) } AS nodes, "
            "count { MATCH (s:JourneyGraphTestScratch) } AS scratch",
            {},
        )
        if row["nodes"] and not row["scratch"]:
            pytest.fail(
                f"{neo4j_settings.shown} holds {row['nodes']} nodes these tests did not "
                "create: give NEO4J_TEST_URI a scratch database"
            )
        store.run(_SCRATCH, {})
        _empty(store)
        ensure_schema(store)
        yield store
        _empty(store)


def _empty(store: Neo4jStore) -> None:
    """Remove what the tests wrote: journeygraph's nodes (staged and retired ones
    too) and their other application's."""
    store.run(
        "MATCH (n) WHERE n:JourneyGraph OR n:JourneyGraphStaged OR n:JourneyGraphRetired "
        "OR n.app = $app DETACH DELETE n",
        {"app": OTHER_APP},
    )


def test_schema_is_created_and_idempotent(server: Neo4jStore) -> None:
    assert ensure_schema(server) > 0
    names = {r["name"] for r in server.run("SHOW INDEXES YIELD name RETURN name", {})}
    assert {"journeygraph_key", "journeygraph_journey_id", "journeygraph_search"} <= names
    # Every constraint and index is on journeygraph's own label, none on a generic one.
    on = server.run(
        "SHOW INDEXES YIELD name, labelsOrTypes WHERE name STARTS WITH 'journeygraph' "
        "RETURN collect(DISTINCT labelsOrTypes) AS labels",
        {},
    )
    # (and one on the nodes of staged pushes, which only journeygraph writes)
    assert on == [{"labels": [["JourneyGraph"], ["JourneyGraphStaged"]]}] or on == [
        {"labels": [["JourneyGraphStaged"], ["JourneyGraph"]]}
    ]


def test_push_pull_and_audit_match_the_file(server: Neo4jStore) -> None:
    maps = [load(p) for p in EXAMPLE_MAPS]
    for m in maps:
        server.write(partial(push, m=m))
    for m in maps:
        assert server.read(partial(pull, journey=m.journey.id)) == m
        got = server.read(partial(cypher_audit, journey=m.journey.id))
        _assert_same(got, audit(m))
        # Loops and reachability searched in the database, by their queries.
        got = server.read(partial(cypher_audit, journey=m.journey.id, in_database=True))
        _assert_same(got, audit(m))
        config = AuditConfig.model_validate({"disable": ["loop"]})
        got = server.read(partial(cypher_audit, journey=m.journey.id, config=config))
        _assert_same(got, audit(m, config=config))


def test_pushing_twice_changes_nothing(server: Neo4jStore) -> None:
    m = load(EXAMPLE_MAPS[0])
    server.write(lambda tx: push(tx, m))
    again = server.write(lambda tx: push(tx, m))
    assert not again.changed
    assert again.statements == 0


def test_a_push_that_changes_nothing_neither_writes_nor_locks(server: Neo4jStore) -> None:
    m = load(EXAMPLES / "b2b-saas.yaml")
    server.write(partial(push, m=m))
    # In a read transaction Neo4j refuses any write, the push lock's MERGE too.
    again = server.read(partial(push, m=m))
    assert (again.changed, again.statements) == (False, 0)
    with pytest.raises(StoreError, match="read-only"):
        server.read(partial(push, m=_edited(m)))
    assert server.read(partial(pull, journey="b2b-saas")) == m


def test_an_edited_map_is_mirrored_and_other_journeys_are_untouched(server: Neo4jStore) -> None:
    maps = [load(p) for p in EXAMPLE_MAPS]
    for m in maps:
        server.write(partial(push, m=m))
    b2b = next(m for m in maps if m.journey.id == "b2b-saas")
    edited = _edited(b2b)
    server.write(lambda tx: push(tx, edited))
    assert server.read(lambda tx: pull(tx, "b2b-saas")) == edited
    for m in maps:
        if m is not b2b:
            assert server.read(partial(pull, journey=m.journey.id)) == m
    server.write(lambda tx: push(tx, b2b))
    assert server.read(lambda tx: pull(tx, "b2b-saas")) == b2b


def test_a_failed_push_rolls_back(server: Neo4jStore) -> None:
    b2b = load(EXAMPLES / "b2b-saas.yaml")
    server.write(lambda tx: push(tx, b2b))
    calls = 0

    def failing(tx: Runner) -> None:
        class Failing:
            def run(self, query: str, parameters: Mapping[str, Any]) -> list[dict[str, Any]]:
                nonlocal calls
                calls += 1
                if calls > 12:
                    raise RuntimeError("interrupted (simulated)")
                return tx.run(query, parameters)

        push(Failing(), _edited(b2b))

    with pytest.raises(RuntimeError, match="simulated"):
        server.write(failing)
    assert server.read(lambda tx: pull(tx, "b2b-saas")) == b2b


def test_every_explore_query_runs_and_returns_its_declared_columns(server: Neo4jStore) -> None:
    maps = [load(p) for p in EXAMPLE_MAPS]
    for m in maps:
        server.write(partial(push, m=m))
        result = server.read(partial(cypher_audit, journey=m.journey.id))
        server.write(partial(write_findings, result=result))
    for q in library.queries("explore"):
        # The parameters as Neo4j Browser sets them from the file's `:params` line:
        # the map is evaluated as Cypher.
        given = {}
        if q.parameters:
            literal = q.browser.removeprefix(":params ")
            (row,) = server.run(f"RETURN {literal} AS p", {})
            given = row["p"]
        assert sorted(given) == sorted(q.parameters), q.name
        rows = server.run(q.text, given)
        assert rows, q.name
        assert list(rows[0]) == list(q.returns), q.name
    for q in library.queries("bloom"):  # the perspective's search phrases
        rows = server.run(q.text, {"journey": "b2b-saas"})
        assert rows, q.name
        assert list(rows[0]) == list(q.returns), q.name


def test_stored_findings_are_read_from_their_journey_not_by_scanning_every_about(
    server: Neo4jStore,
) -> None:
    maps = [load(p) for p in EXAMPLE_MAPS]
    for m in maps:
        server.write(partial(push, m=m))
        result = server.read(partial(cypher_audit, journey=m.journey.id))
        server.write(partial(write_findings, result=result))
    for m in maps:
        everything = [*audit(m).findings, *audit(m).waived]
        linked = server.run(
            "MATCH (j:Journey:JourneyGraph)-[:HAS_FINDING]->(x:Finding:JourneyGraph "
            "{journey: $j}) RETURN collect(DISTINCT j.id) AS journeys, count(x) AS n",
            {"j": m.journey.id},
        )
        assert linked == [{"journeys": [m.journey.id], "n": len(everything)}]
    # Each query that reads a journey's findings starts from its journey's key
    # (the unique index) and expands only that journey's findings.
    for name in ("bloom/findings", "explore/touchpoints-by-findings"):
        q = library.query(name)
        operators = server.plan(q.text, {"journey": "b2b-saas"}, profile=True)
        kinds = [o["operator"].strip() for o in operators]
        assert any(k.startswith("NodeUniqueIndexSeek") for k in kinds), (name, kinds)
        assert not [k for k in kinds if "Scan" in k], (name, kinds)
    # A second run replaces the journey's findings, links and all.
    result = server.read(partial(cypher_audit, journey="b2b-saas"))
    server.write(partial(write_findings, result=result))
    (row,) = server.run(
        "MATCH (:Journey:JourneyGraph {key: ['Journey', 'b2b-saas']})-[:HAS_FINDING]->(x) "
        "RETURN count(x) AS n",
        {},
    )
    assert row["n"] == len([*result.findings, *result.waived])


@pytest.mark.parametrize(("responsible_for", "expected"), [(29, False), (30, True)])
def test_overload_at_the_exact_threshold_on_the_server(
    server: Neo4jStore, responsible_for: int, expected: bool
) -> None:
    lines = ["stages: [{id: s}]", "functions: [{id: busy}, {id: other}]", "touchpoints:"]
    for i in range(50):
        owner = "busy" if i < responsible_for else "other"
        lines.append(f"  - {{id: t{i}, stage: s, owners: {{R: [{owner}], A: [{owner}]}}}}")
    m = fragment("\n".join(lines))
    config = AuditConfig.model_validate({"thresholds": {"overload_share": 0.58}})
    server.write(partial(push, m=m))
    got = server.read(partial(cypher_audit, journey=m.journey.id, config=config))
    _assert_same(got, audit(m, config=config))
    assert any(f.rule == "overloaded-function" for f in got.findings) == expected


def _seed_other_application(
    server: Neo4jStore, journey: str = "b2b-saas", *, twins: bool = True
) -> None:
    """Another application's graph under journeygraph's labels, relationship types and
    ids: a journey-scoped stage, touchpoints, persona and finding with the ids of
    ``journey``'s, its own journey, functions and departments, and the old push lock."""
    m = load(EXAMPLES / "b2b-saas.yaml")
    server.run(
        """
        CREATE (crm:Journey {id: 'crm-onboarding', name: 'CRM onboarding', version: 1, app: $app})
        CREATE (s:Stage {journey: $journey, id: $stage, name: 'CRM stage', app: $app})
        CREATE (crm)-[:HAS_STAGE {app: $app}]->(s)
        CREATE (t1:Touchpoint {journey: $journey, id: $t1, name: 'CRM call', app: $app})
        CREATE (t2:Touchpoint {journey: $journey, id: $t2, app: $app})
        CREATE (t1)-[:IN_STAGE {app: $app}]->(s), (t2)-[:IN_STAGE {app: $app}]->(s)
        CREATE (t1)-[:NEXT {weight: 1.0, position: 0, app: $app}]->(t2)
        CREATE (d:Department {id: 'crm-sales', name: 'Sales (CRM)', app: $app})
        CREATE (d2:Department {id: $twin, name: 'Sales again (CRM)', app: $app})
        CREATE (f:JobFunction {id: 'crm-adviser', name: 'Adviser', app: $app})
        CREATE (f)-[:PART_OF {app: $app}]->(d)
        CREATE (crm)-[:HAS_FUNCTION {position: 0, app: $app}]->(f)
        CREATE (crm)-[:HAS_DEPARTMENT {position: 0, app: $app}]->(d)
        CREATE (:Person {name: 'Ana', app: $app})-[:WORKS_AS {since: 2020, app: $app}]->(f)
        CREATE (f)-[:OWNS {role: 'R', app: $app}]->(t1)
        CREATE (f)-[:HANDS_OFF_TO {journey: $journey, name: 'to self', app: $app}]->(f)
        CREATE (x:Finding {journey: $journey, position: 0, rule: 'crm-rule', app: $app})
        CREATE (x)-[:ABOUT {app: $app}]->(t1)
        CREATE (:Persona {journey: $journey, id: 'crm-persona', app: $app})
        CREATE (:PushLock {id: 'push', held: true, app: $app})
        """,
        {
            "app": OTHER_APP,
            "journey": journey,
            "stage": m.stages[0].id,
            "t1": m.touchpoints[0].id,
            "t2": m.touchpoints[1].id,
            # Two departments of one id, which the previous release's constraints refused.
            "twin": "crm-sales" if twins else "crm-sales-2",
        },
    )


def _other_graph(server: Neo4jStore) -> tuple[list[str], list[str]]:
    """Every node that is not journeygraph's and every relationship between two such,
    with its identity, labels and properties: compared before and after."""
    nodes = server.run(
        "MATCH (n) WHERE NOT n:JourneyGraph AND NOT n:JourneyGraphTestScratch "
        "RETURN elementId(n) AS id, labels(n) AS labels, properties(n) AS props",
        {},
    )
    relationships = server.run(
        "MATCH (a)-[r]->(b) WHERE NOT a:JourneyGraph AND NOT b:JourneyGraph "
        "RETURN elementId(r) AS id, elementId(a) AS source, type(r) AS type, "
        "properties(r) AS props, elementId(b) AS target",
        {},
    )
    dump = [
        sorted(
            json.dumps({**row, "labels": sorted(row.get("labels", []))}, sort_keys=True)
            for row in rows
        )
        for rows in (nodes, relationships)
    ]
    return dump[0], dump[1]


def _ours(server: Neo4jStore) -> int:
    """How many nodes labelled JourneyGraph the database holds (push locks included:
    none is ever committed)."""
    (row,) = server.run("MATCH (n:JourneyGraph) RETURN count(n) AS n", {})
    return int(row["n"])


def _cli(server: Neo4jStore, *args: str) -> tuple[int, str]:
    from typer.testing import CliRunner

    from journeygraph.cli import app

    where = ["--uri", server.settings.uri, "--user", server.settings.user]
    result = CliRunner().invoke(
        app, ["neo4j", *args, *where], env={"NEO4J_PASSWORD": server.settings.password or "x"}
    )
    return result.exit_code, result.stderr


@pytest.mark.parametrize("staged", [False, True], ids=["one-transaction", "staged"])
def test_another_applications_graph_is_left_exactly_as_it_was(
    server: Neo4jStore, staged: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if staged:  # every push that changes anything is staged (journeygraph.store.staging)
        monkeypatch.setattr(staging, "STAGE_ABOVE", 0)
    _empty(server)
    _seed_other_application(server)
    before = _other_graph(server)
    assert (len(before[0]), len(before[1])) == (11, 11)
    maps = [load(p) for p in EXAMPLE_MAPS]
    # Push: the other application's same-id stage, touchpoints and persona are not
    # adopted, read or audited.
    code, err = _cli(server, "push", *map(str, EXAMPLE_MAPS))
    assert code == 0, err
    for m in maps:
        assert server.read(partial(pull, journey=m.journey.id)) == m
        _assert_same(server.read(partial(cypher_audit, journey=m.journey.id)), audit(m))
    # Findings written twice, then updates (the sweeps run) with the other application's
    # nodes linked to journeygraph's.
    for _ in range(2):
        result = server.read(partial(cypher_audit, journey="b2b-saas"))
        server.write(partial(write_findings, result=result))
    assert _other_graph(server) == before
    before = _attach_other_application(server, maps, staged=staged)
    assert _other_graph(server) == before
    # Delete, prune, migrate: the other application's links to the journeys' nodes go
    # with them, and are counted (a VISITED, a NEXT and TAGGED to the next one each).
    code, err = _cli(server, "delete", "b2b-saas", "--yes")
    assert code == 0, err
    assert "b2b-saas: 10 relationships of another application's went with" in err
    code, err = _cli(server, "push", "--prune", "--yes", str(EXAMPLE_MAPS[0]))
    assert code == 0, err
    assert "mortgage: 5 relationships of another application's went with" in err
    code, err = _cli(server, "migrate")
    assert code == 0, err
    assert "up to date" in err
    assert _other_graph(server) == before
    for journey in server.read(journeys):
        server.write(partial(delete_journey, journey=journey))
    assert _other_graph(server) == before
    assert _ours(server) == 0
    assert _attached(server) == []


def _attached(server: Neo4jStore) -> list[str]:
    """Every relationship of the other application's that has a node of journeygraph's at
    one end: its identity, type, properties and ends (identity and key of each, but the
    revision that ends a key: a node kept for such a relationship takes the current
    version's)."""
    rows = server.run(
        "MATCH (a)-[r]->(b) WHERE r.app = $app AND (a:JourneyGraph OR b:JourneyGraph) "
        "RETURN elementId(r) AS id, type(r) AS type, properties(r) AS props, "
        "elementId(a) AS source, a.key[0..3] AS source_key, elementId(b) AS target, "
        "b.key[0..3] AS target_key",
        {"app": OTHER_APP},
    )
    return sorted(json.dumps(row, sort_keys=True) for row in rows)


def _attach(server: Neo4jStore, keys: list[list[str]]) -> None:
    """The other application links journeygraph's nodes of ``keys`` ([label, journey, id]
    of the journey's current version): from a node of its own (a type of its own), to
    one (a journeygraph type, NEXT), and between each two of them (a type of its own)."""
    server.run(
        """
        UNWIND range(0, size($keys) - 1) AS i
        MATCH (j:Journey:JourneyGraph {id: $keys[i][1]})
        MATCH (n:JourneyGraph {key: $keys[i] + [j.revision]})
        CREATE (:Person {name: 'visitor ' + i, app: $app})-[:VISITED {at: i, app: $app}]->(n)
        CREATE (n)-[:NEXT {weight: 1.0, app: $app}]->(:Touchpoint {id: 'crm-' + i, app: $app})
        WITH i, n
        MATCH (k:Journey:JourneyGraph {id: $keys[(i + 1) % size($keys)][1]})
        MATCH (m:JourneyGraph {key: $keys[(i + 1) % size($keys)] + [k.revision]})
        CREATE (n)-[:TAGGED {with: i, app: $app}]->(m)
        """,
        {"keys": keys, "app": OTHER_APP},
    )


def _attach_other_application(
    server: Neo4jStore, maps: list[JourneyMap], *, staged: bool
) -> tuple[list[str], list[str]]:
    """Link the other application's nodes to journeygraph's touchpoints, stages, personas
    and opportunities, then update their journeys (staged or not): the links on nodes
    that stay are kept as they were, identity included; those on a node that left the
    map go with it, counted. Pull and audit still give the maps. The other application's
    graph after it, as `_other_graph` gives it."""
    b2b = next(m for m in maps if m.journey.id == "b2b-saas")
    mortgage = next(m for m in maps if m.journey.id == "mortgage")
    edited, renamed = _edited(b2b), mortgage.model_copy(deep=True)
    renamed.personas[0].name, renamed.opportunities[0].status = "First buyer", "in-progress"
    renamed = type(renamed).model_validate(renamed.model_dump(by_alias=True))
    stay = [["Touchpoint", "b2b-saas", t.id] for t in edited.touchpoints[:2]]
    stay += [["Stage", "b2b-saas", edited.stages[0].id]]
    stay += [["Persona", "mortgage", renamed.personas[0].id]]
    stay += [["Opportunity", "mortgage", renamed.opportunities[0].id]]
    _attach(server, stay)
    kept = _attached(server)
    assert len(kept) == 3 * len(stay)
    (gone,) = {t.id for t in b2b.touchpoints} - {t.id for t in edited.touchpoints}
    _attach(server, [["Touchpoint", "b2b-saas", gone]])  # a TAGGED to itself, a VISITED, a NEXT
    for new in (edited, renamed):
        result = push_journey(server, new)
        assert (result.staged, result.detached) == (staged, 3 if new is edited else 0)
        assert server.read(partial(pull, journey=new.journey.id)) == new
        _assert_same(server.read(partial(cypher_audit, journey=new.journey.id)), audit(new))
    assert _attached(server) == kept
    return _other_graph(server)


def test_another_applications_relationships_on_journeygraphs_nodes_are_not_read_or_removed(
    server: Neo4jStore,
) -> None:
    _empty(server)
    _seed_other_application(server)
    b2b = load(EXAMPLES / "b2b-saas.yaml")
    server.write(partial(push, m=b2b))
    function = b2b.functions[0]
    # Another application links journeygraph's function and touchpoint to its own nodes.
    server.run(
        "MATCH (f:JobFunction:JourneyGraph {id: $f}), (d:Department {app: $app}) "
        "WITH f, d LIMIT 1 CREATE (f)-[:PART_OF {app: $app}]->(d) "
        "WITH f MATCH (t:Touchpoint:JourneyGraph {journey: 'b2b-saas', id: $t}), "
        "(u:Touchpoint {app: $app}) WITH t, u LIMIT 1 "
        "CREATE (t)-[:NEXT {app: $app}]->(u), (u)-[:NEXT {app: $app}]->(t)",
        {"f": function.id, "t": b2b.touchpoints[0].id, "app": OTHER_APP},
    )
    attached = "MATCH ()-[r {app: $app}]->() RETURN count(r) AS n"
    (links,) = server.run(attached, {"app": OTHER_APP})
    assert server.read(partial(pull, journey="b2b-saas")) == b2b
    _assert_same(server.read(partial(cypher_audit, journey="b2b-saas")), audit(b2b))
    # A push that updates the function keeps the other application's PART_OF.
    renamed = b2b.model_copy(deep=True)
    renamed.functions[0].name = "Renamed"
    assert server.write(partial(push, m=renamed)).written["functions"] == 1
    assert server.run(attached, {"app": OTHER_APP}) == [links]
    assert server.read(partial(pull, journey="b2b-saas")) == renamed
    # Deleting the journey removes its touchpoint and its function, no journey listing
    # it any more: the two NEXT and the PART_OF go with them, and are counted.
    assert server.write(partial(delete_journey, journey="b2b-saas")).detached == 3
    assert server.run(attached, {"app": OTHER_APP}) == [{"n": links["n"] - 3}]


def test_a_relationship_between_two_orphan_functions_is_counted_once(
    server: Neo4jStore,
) -> None:
    """Another application's relationship between two functions (or departments) that
    go with the last journey listing them goes once, and is counted once."""
    _empty(server)
    b2b = load(EXAMPLES / "b2b-saas.yaml")
    server.write(partial(push, m=b2b))
    first, second = (f.id for f in b2b.functions[:2])
    server.run(
        "MATCH (a:JobFunction:JourneyGraph {id: $a}), (b:JobFunction:JourneyGraph {id: $b}) "
        "CREATE (a)-[:REPORTS_TO {app: $app}]->(b) "
        "WITH a MATCH (d:Department:JourneyGraph), (e:Department:JourneyGraph) "
        "WHERE d.id < e.id WITH d, e LIMIT 1 CREATE (d)-[:MERGED_WITH {app: $app}]->(e)",
        {"a": first, "b": second, "app": OTHER_APP},
    )
    attached = "MATCH ()-[r {app: $app}]->() RETURN count(r) AS n"
    assert server.run(attached, {"app": OTHER_APP}) == [{"n": 2}]
    assert server.write(partial(delete_journey, journey="b2b-saas")).detached == 2
    assert server.run(attached, {"app": OTHER_APP}) == [{"n": 0}]


def test_an_id_another_application_holds_is_refused_and_nothing_is_written(
    server: Neo4jStore,
) -> None:
    _empty(server)
    b2b = load(EXAMPLES / "b2b-saas.yaml")
    department, function = b2b.departments[1], b2b.functions[0]
    server.run(
        "CREATE (d:Department {id: $d, name: 'Sales (HR)', app: $app})"
        "<-[:PART_OF {app: $app}]-(f:JobFunction {id: $f, name: 'Adviser (HR)', app: $app})"
        "<-[:WORKS_AS {app: $app}]-(:Person {name: 'Bo', app: $app})",
        {"d": department.id, "f": function.id, "app": OTHER_APP},
    )
    before = _other_graph(server)
    with pytest.raises(StoreError) as refused:
        server.write(partial(push, m=b2b))
    message = str(refused.value)
    assert f"department {department.id!r} is another application's" in message
    assert f"(:Department {{id: {department.id!r}}})" in message
    assert "give the department another id" in message
    assert _ours(server) == 0
    code, err = _cli(server, "push", str(EXAMPLES / "b2b-saas.yaml"))
    assert code == 2
    assert len(err.strip().splitlines()) == 1
    assert "another application's" in err
    assert _other_graph(server) == before
    assert _ours(server) == 0
    # A journey id another application's :Journey holds is refused the same way.
    server.run(
        "CREATE (:Journey {id: 'b2b-saas', name: 'CRM journey', app: $app})", {"app": OTHER_APP}
    )
    server.run(
        "MATCH (n {app: $app}) WHERE n:Department OR n:JobFunction DETACH DELETE n",
        {"app": OTHER_APP},
    )
    try:
        with pytest.raises(StoreError, match=r"journey 'b2b-saas' is another application's"):
            server.write(partial(push, m=b2b))
        assert _ours(server) == 0
    finally:  # the next tests push b2b-saas on the same server
        server.run("MATCH (n {app: $app}) DETACH DELETE n", {"app": OTHER_APP})


def test_other_applications_duplicates_do_not_stop_the_schema_or_their_inserts(
    server: Neo4jStore,
) -> None:
    _empty(server)
    server.run(
        "CREATE (:Department {id: 'dup', app: $app}), (:Department {id: 'dup', app: $app}), "
        "(:Touchpoint {journey: 'j', id: 't', app: $app}), "
        "(:Touchpoint {journey: 'j', id: 't', app: $app})",
        {"app": OTHER_APP},
    )
    try:
        assert ensure_schema(server) > 0
        b2b = load(EXAMPLES / "b2b-saas.yaml")
        server.write(partial(push, m=b2b))
        # Once the schema exists, the other application may still insert its own ids.
        server.run(
            "CREATE (:Department {id: $d, app: $app}), "
            "(:Journey {id: 'b2b-saas-crm', app: $app}), "
            "(:Touchpoint {journey: 'b2b-saas', id: $t, app: $app})",
            {"d": b2b.departments[0].id, "t": b2b.touchpoints[0].id, "app": OTHER_APP},
        )
        assert server.read(partial(pull, journey="b2b-saas")) == b2b
    finally:
        # The next tests push b2b-saas on the same server: once journeygraph's own
        # 'marketing' is gone, the other application's would (rightly) refuse it.
        server.run("MATCH (n {app: $app}) DETACH DELETE n", {"app": OTHER_APP})


def test_the_schema_is_created_whole_or_not_at_all(server: Neo4jStore) -> None:
    _empty(server)
    # Two nodes of journeygraph's with one key (made by hand, as a bad import might).
    server.run("DROP CONSTRAINT journeygraph_key IF EXISTS", {})
    for name in (
        "journeygraph_journey_id",
        "journeygraph_journey",
        "journeygraph_journey_revision",
        "journeygraph_id",
        "journeygraph_search",
        "journeygraph_staged_key",
    ):
        server.run(f"DROP INDEX {name} IF EXISTS", {})
    server.run(
        "CREATE (:Department:JourneyGraph {key: ['Department', 'twin'], id: 'twin'}), "
        "(:Department:JourneyGraph {key: ['Department', 'twin'], id: 'twin'})",
        {},
    )
    with pytest.raises(StoreError) as refused:
        ensure_schema(server)
    message = str(refused.value)
    assert "2 nodes (:Department {key: ['Department', 'twin']})" in message
    assert "--no-schema" in message
    assert "\n" not in message
    names = {r["name"] for r in server.run("SHOW INDEXES YIELD name RETURN name", {})}
    assert not {n for n in names if n.startswith("journeygraph")}  # none of it was created
    _empty(server)
    assert ensure_schema(server) == 7


def test_entry_to_purchase_paths_are_ranked_and_bounded(server: Neo4jStore) -> None:
    from journeygraph.algorithms import changes_of_hands

    maps = [load(p) for p in EXAMPLE_MAPS]
    for m in maps:
        server.write(partial(push, m=m))
    b2b = next(m for m in maps if m.journey.id == "b2b-saas")
    q = library.query("explore/entry-to-purchase-paths")
    rows = server.run(q.text, {"journey": b2b.journey.id, "target": "signature", "limit": 5})
    assert 0 < len(rows) <= 5
    G = b2b.to_networkx()
    edges = {(t.id, s.to) for t in b2b.touchpoints for s in t.next}
    entries = {t.id for t in b2b.touchpoints if t.entry} or {
        t.id for t in b2b.touchpoints if t.stage == b2b.stages[0].id
    }
    changing = set(changes_of_hands(G))
    for row in rows:
        path = row["path"]
        assert path[0] in entries
        assert path[-1] == "signature"
        assert [s for s in pairwise(path) if s not in edges] == [], path
        assert row["steps"] == len(path) - 1
        # Changes of hands counted again, from the in-process definition.
        steps = list(pairwise(path))
        assert row["changes_of_hands"] == sum(step in changing for step in steps)
    order = [(-r["changes_of_hands"], r["steps"]) for r in rows]
    assert order == sorted(order)


def _paths(m: JourneyMap, target: str, limit: int) -> list[dict[str, Any]]:
    """explore/entry-to-purchase-paths restated: each touchpoint's distance to the
    target by breadth-first search, then from each entry the first step (in the
    order of its `next`) one nearer, with the changes of hands the in-process
    audit counts."""
    import networkx as nx

    from journeygraph.algorithms import changes_of_hands

    G = nx.DiGraph([(t.id, s.to) for t in m.touchpoints for s in t.next])
    G.add_nodes_from(t.id for t in m.touchpoints)
    far = nx.single_target_shortest_path_length(G, target, cutoff=1000)
    distance = dict(far)
    entries = [t.id for t in m.touchpoints if t.entry] or [
        t.id for t in m.touchpoints if t.stage == m.stages[0].id
    ]
    ways = {t.id: [s.to for s in t.next] for t in m.touchpoints}
    changing = set(changes_of_hands(m.to_networkx()))
    rows: list[dict[str, Any]] = []
    for entry in entries:
        if distance.get(entry, 0) == 0:
            continue
        path = [entry]
        while path[-1] != target:
            here = path[-1]
            path.append(next(b for b in ways[here] if distance.get(b) == distance[here] - 1))
        changes = sum(step in changing for step in pairwise(path))
        rows.append({"path": path, "steps": len(path) - 1, "changes_of_hands": changes})
    rows.sort(key=lambda r: (-int(r["changes_of_hands"]), r["steps"], r["path"]))
    return rows[:limit]


def _chain(n: int) -> JourneyMap:
    """``n`` touchpoints in two stages, each going one or two ahead and every tenth
    back nine: the shortest paths multiply like Fibonacci numbers."""
    lines = ["stages: [{id: s}, {id: t}]", "touchpoints:"]
    for i in range(n):
        ahead = [f"t{j}" for j in (i + 1, i + 2) if j < n]
        back = [f"t{i - 9}"] if i % 10 == 9 else []
        stage = "s" if i < n // 2 else "t"
        lines.append(f"  - {{id: t{i}, stage: {stage}, next: [{', '.join(ahead + back)}]}}")
    return fragment("\n".join(lines))


def test_entry_to_purchase_paths_are_the_restated_ones(server: Neo4jStore) -> None:
    # Every example, to several targets, and a chain of many equal paths: the
    # rows exactly, against a restatement in Python.
    maps = [load(p) for p in EXAMPLE_MAPS] + [_chain(60)]
    q = library.query("explore/entry-to-purchase-paths")
    for m in maps:
        server.write(partial(push, m=m))
        for t in m.touchpoints:
            rows = server.run(q.text, {"journey": m.journey.id, "target": t.id, "limit": 50})
            assert rows == _paths(m, t.id, 50), (m.journey.id, t.id)
        server.write(partial(delete_journey, journey=m.journey.id))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(journey_maps())
def test_entry_to_purchase_paths_on_random_maps(server: Neo4jStore, data: dict[str, Any]) -> None:
    m = JourneyMap.model_validate(data)
    server.write(partial(push, m=m))
    q = library.query("explore/entry-to-purchase-paths")
    try:
        for t in m.touchpoints:
            rows = server.run(q.text, {"journey": m.journey.id, "target": t.id, "limit": 1000})
            assert rows == _paths(m, t.id, 1000), t.id
    finally:
        server.write(partial(delete_journey, journey=m.journey.id))


def test_query_write_runs_call_in_transactions(
    server: Neo4jStore, neo4j_settings: Settings
) -> None:
    from typer.testing import CliRunner

    from journeygraph.cli import ExitCode, app

    args = ["neo4j", "query", "--write", "--uri", neo4j_settings.uri, "--format", "json"]
    cypher = "UNWIND range(1, 3) AS i CALL (i) { CREATE (:Scratch {i: i}) } IN TRANSACTIONS"
    result = CliRunner().invoke(app, [*args, "--cypher", cypher])
    assert result.exit_code == ExitCode.OK, result.stderr
    assert server.run("MATCH (s:Scratch) RETURN count(s) AS n", {}) == [{"n": 3}]
    server.run("MATCH (s:Scratch) DELETE s", {})
    # Read-only by default: the same statement is refused, and nothing is written.
    result = CliRunner().invoke(
        app, ["neo4j", "query", "--uri", neo4j_settings.uri, "--cypher", cypher]
    )
    assert result.exit_code == ExitCode.ERROR
    assert server.run("MATCH (s:Scratch) RETURN count(s) AS n", {}) == [{"n": 0}]


def test_a_read_after_a_write_in_one_store_sees_it(server: Neo4jStore) -> None:
    m = load(EXAMPLE_MAPS[0])
    server.write(partial(push, m=m))
    assert m.journey.id in server.read(journeys)


def test_concurrent_pushes_of_a_shared_function_run_in_turn(
    server: Neo4jStore, neo4j_settings: Settings
) -> None:
    import threading
    import time

    first = _sharing("first", "Growth", function="shared-fn")
    second = _sharing("second", "Demand", function="shared-fn")
    locked = threading.Event()
    outcome: dict[str, BaseException | None] = {}

    def slow_push(tx: Runner) -> None:
        lock(tx, "first", {}, rows_of(first))
        locked.set()
        time.sleep(2)  # the other push starts meanwhile, and must wait for this one
        push(tx, first)

    def other_push() -> None:
        locked.wait(timeout=30)
        with connect(neo4j_settings) as other:
            try:
                other.write(partial(push, m=second))
                outcome["second"] = None
            except StoreError as err:
                outcome["second"] = err

    thread = threading.Thread(target=other_push)
    thread.start()
    server.write(slow_push)
    thread.join(timeout=60)
    # Had the second push not waited, it would have read no shared-fn and written
    # its own name over the first journey's.
    assert isinstance(outcome["second"], StoreError)
    assert "function 'shared-fn' is shared with journey(s) 'first'" in str(outcome["second"])
    names = server.run("MATCH (f:JobFunction {id: 'shared-fn'}) RETURN f.name AS name", {})
    assert names == [{"name": "Growth"}]
    server.write(partial(delete_journey, journey="first"))


def test_pushes_that_share_nothing_do_not_wait_for_each_other(
    server: Neo4jStore, neo4j_settings: Settings
) -> None:
    import threading

    first = _sharing("first", "Growth", function="first-fn")
    second = _sharing("second", "Demand", function="second-fn")
    locked, second_done = threading.Event(), threading.Event()
    seen: dict[str, bool] = {}

    def holding_push(tx: Runner) -> None:
        lock(tx, "first", {}, rows_of(first))
        locked.set()
        # The other push shares no journey, function or department: it finishes
        # while this one holds its locks.
        seen["second done meanwhile"] = second_done.wait(timeout=30)
        push(tx, first)

    def other_push() -> None:
        locked.wait(timeout=30)
        with connect(neo4j_settings) as other:
            other.write(partial(push, m=second))
        second_done.set()

    thread = threading.Thread(target=other_push)
    thread.start()
    server.write(holding_push)
    thread.join(timeout=60)
    assert seen == {"second done meanwhile": True}
    for journey in ("first", "second"):
        server.write(partial(delete_journey, journey=journey))


@pytest.mark.parametrize("name", ["audit/loop", "audit/unreachable-touchpoint"])
def test_loops_and_reachability_use_the_pruning_expand(server: Neo4jStore, name: str) -> None:
    maps = [load(p) for p in EXAMPLE_MAPS]
    for m in maps:
        server.write(partial(push, m=m))
    q = library.query(name)
    values = {"journey": "b2b-saas", "overload_min": 5, "start": "blog-article"}
    operators = server.plan(
        q.text, {p: values[p] for p in q.parameters if p in values}, profile=True
    )
    kinds = [o["operator"].strip() for o in operators]
    assert kinds[0] == "ProduceResults"
    assert any("VarLengthExpand(Pruning" in k for k in kinds), kinds
    # Never an enumeration of paths, whose number explodes on a looping journey.
    assert not [k for k in kinds if k.startswith("VarLengthExpand") and "Pruning" not in k]
    assert all(o["db_hits"] is not None for o in operators)


def test_query_explain_and_profile_show_the_plan(
    server: Neo4jStore, neo4j_settings: Settings
) -> None:
    import json

    from typer.testing import CliRunner

    from journeygraph.cli import ExitCode, app

    server.write(partial(push, m=load(EXAMPLE_MAPS[0])))
    journey = load(EXAMPLE_MAPS[0]).journey.id
    base = ["neo4j", "query", "explore/coverage-matrix", "-p", f"journey={journey}"]
    base += ["--uri", neo4j_settings.uri, "-f", "json"]
    for flag, columns in (
        ("--explain", ["operator", "details", "estimated_rows"]),
        ("--profile", ["operator", "details", "estimated_rows", "rows", "db_hits"]),
    ):
        result = CliRunner().invoke(app, [*base, flag])
        assert result.exit_code == ExitCode.OK, result.stderr
        data = json.loads(result.stdout)
        assert data["columns"] == columns
        assert data["rows"][0]["operator"] == "ProduceResults"


def test_entry_to_purchase_paths_finish_on_a_chain_of_many_equal_paths(
    server: Neo4jStore,
) -> None:
    # Each step goes one or two ahead, every tenth back nine: the shortest
    # paths multiply like Fibonacci numbers, which a k-shortest search lists.
    import networkx as nx

    m = _chain(200)
    server.write(partial(push, m=m))
    q = library.query("explore/entry-to-purchase-paths")
    rows = server.run(q.text, {"journey": m.journey.id, "target": "t199", "limit": 200})
    G = nx.DiGraph((t.id, s.to) for t in m.touchpoints for s in t.next)
    distance = nx.single_target_shortest_path_length(G, "t199")
    entries = {f"t{i}" for i in range(100)}
    # One shortest path from each entry, as long as breadth-first search says.
    assert sorted(r["path"][0] for r in rows) == sorted(entries)
    for row in rows:
        assert row["steps"] == distance[row["path"][0]] == len(row["path"]) - 1
        assert all(G.has_edge(a, b) for a, b in pairwise(row["path"]))


@pytest.fixture
def gds_server(server: Neo4jStore) -> Neo4jStore:
    """The server, which has GDS: both builds of the test server do (tests/neo4j-server)."""
    from tests import neo4j_server

    if not server.read(gds.installed):
        if neo4j_server.own_server() is not None:
            pytest.skip("the NEO4J_TEST_URI server has no Graph Data Science library")
        reason = (
            f"the Neo4j {neo4j_server.selected().name} test server has no Graph Data Science "
            "library: run `make setup`, or see its log for why GDS did not load"
        )
        if os.environ.get("CI"):  # CI's setup always builds it with GDS: missing is a failure
            pytest.fail(reason)
        pytest.skip(reason)
    return server


def _projections(server: Neo4jStore) -> list[str]:
    rows = server.run("CALL gds.graph.list() YIELD graphName RETURN graphName", {})
    return [r["graphName"] for r in rows]


def _loops(result: AuditResult) -> list[tuple[str, tuple[str, ...], str]]:
    return sorted(
        (f.rule, tuple(f.entities), f.message) for f in result.findings if f.rule == "loop"
    )


def test_gds_loops_are_the_in_process_loops(gds_server: Neo4jStore) -> None:
    from tests import neo4j_server

    assert gds_server.read(gds.version).startswith("2.")
    if neo4j_server.own_server() is None:  # the GDS of the build NEO4J_TEST_SERVER picked
        assert gds_server.read(gds.version) == neo4j_server.selected().gds_version()
    # Two loops, one a touchpoint leading to itself, and a journey with none,
    # beside the examples in one database.
    looping = fragment(
        "stages: [{id: s}, {id: t}]\n"
        "touchpoints:\n"
        "  - {id: a, stage: s, next: [b, c]}\n"
        "  - {id: b, stage: s, next: [a]}\n"
        "  - {id: c, stage: t, next: [c, d]}\n"
        "  - {id: d, stage: t, next: [e]}\n"
        "  - {id: e, stage: t, next: [d]}\n"
    )
    straight = fragment(
        "stages: [{id: s}]\ntouchpoints: [{id: a, stage: s, next: [b]}, {id: b, stage: s}]\n"
    )
    straight = straight.model_copy(
        update={"journey": straight.journey.model_copy(update={"id": "straight"})}
    )
    maps = [load(p) for p in EXAMPLE_MAPS] + [looping, straight]
    for m in maps:
        gds_server.write(partial(push, m=m))
    for m in maps:
        got = gds_server.read(partial(cypher_audit, journey=m.journey.id, gds=True))
        _assert_same(got, audit(m))
        plain = gds_server.read(partial(cypher_audit, journey=m.journey.id))
        assert _loops(got) == _loops(plain)
    got = gds_server.read(partial(cypher_audit, journey=looping.journey.id, gds=True))
    assert len(_loops(got)) == 3
    # Every projection was dropped before its query returned.
    assert not [g for g in _projections(gds_server) if g.startswith("journeygraph-")]
    for m in (looping, straight):
        gds_server.write(partial(delete_journey, journey=m.journey.id))


# Found by CI: a touchpoint leading to itself, with two Responsible functions. Cypher
# could not match its one OWNS on both sides of the step, and took the step for
# a change of hands between the two.
_SELF_STEP_TWO_OWNERS = {
    "version": 1,
    "journey": {"id": "random"},
    "stages": [{"id": "s0"}, {"id": "s1"}],
    "departments": [{"id": "d0"}],
    "functions": [{"id": f"f{i}", "department": "d0"} for i in range(4)],
    "touchpoints": [
        {"id": "t0", "stage": "s0", "owners": {"R": ["f0", "f1"]}, "next": ["t0"]},
    ],
    "handoffs": [{"from": "f0", "to": "f2"}],
}


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(journey_maps())
@example(_SELF_STEP_TWO_OWNERS)
def test_gds_loops_on_random_maps(gds_server: Neo4jStore, data: dict[str, Any]) -> None:
    m = JourneyMap.model_validate(data)
    gds_server.write(partial(push, m=m))
    try:
        got = gds_server.read(partial(cypher_audit, journey=m.journey.id, gds=True))
        _assert_same(got, audit(m))
        _assert_network_queries(gds_server, m)
    finally:
        gds_server.write(partial(delete_journey, journey=m.journey.id))


def test_neo4j_audit_uses_gds_only_when_asked(
    gds_server: Neo4jStore, neo4j_settings: Settings
) -> None:
    # Loops from the pulled transitions are faster than gds.scc: the server
    # having GDS is no reason to use it, nor to say anything about it.
    from typer.testing import CliRunner

    from journeygraph.cli import ExitCode, app

    gds_server.write(partial(push, m=load(EXAMPLES / "b2b-saas.yaml")))
    base = ["neo4j", "audit", "b2b-saas", "--uri", neo4j_settings.uri, "-f", "json"]
    used = f"loops found with Graph Data Science {gds_server.read(gds.version)} (gds.scc)"
    outputs = {}
    for flag in ("--gds", "--no-gds", None):
        result = CliRunner().invoke(app, [*base, *([flag] if flag else [])])
        assert result.exit_code == ExitCode.FINDINGS, result.stderr
        said = result.stderr.splitlines()
        assert said[-1].endswith("(1 waived) in 1 journey.")
        assert said[:-1] == ([used] if flag == "--gds" else [])
        outputs[flag] = result.stdout
    assert outputs["--gds"] == outputs["--no-gds"] == outputs[None]
    assert "loop" in [f["rule"] for f in json.loads(outputs[None])["findings"]]
    assert not [g for g in _projections(gds_server) if g.startswith("journeygraph-")]


def _network_rows(server: Neo4jStore, name: str, journey: str) -> list[dict[str, Any]]:
    q = library.query(name)
    return server.read(lambda tx: tx.run(q.text, gds.parameters({"journey": journey})))


def _assert_network_queries(server: Neo4jStore, m: JourneyMap) -> None:
    import networkx as nx

    from journeygraph.algorithms.handoffs import function_network, single_points_of_failure

    G = m.to_networkx()
    net = function_network(G)
    names = {f.id: f.name for f in m.functions}
    points = _network_rows(server, "gds/single-points-of-failure", m.journey.id)
    assert [r["function"] for r in points] == single_points_of_failure(G)
    assert all(r["name"] == names[r["function"]] for r in points)
    brokers = _network_rows(server, "gds/handoff-brokers", m.journey.id)
    # networkx's count of shortest paths through each node, directed, unscaled.
    want = nx.betweenness_centrality(net.graph, normalized=False)
    assert {r["function"]: r["betweenness"] for r in brokers} == pytest.approx(want)
    assert [r["betweenness"] for r in brokers] == sorted(want.values(), reverse=True)


def test_gds_handoff_network_queries_agree_with_networkx(gds_server: Neo4jStore) -> None:
    from journeygraph.algorithms.handoffs import single_points_of_failure

    maps = [load(p) for p in EXAMPLE_MAPS]
    for m in maps:
        gds_server.write(partial(push, m=m))
    for m in maps:
        _assert_network_queries(gds_server, m)
    # The examples have functions that broker handoffs, and single points of failure.
    assert all(_network_rows(gds_server, "gds/handoff-brokers", m.journey.id) for m in maps)
    assert any(single_points_of_failure(m.to_networkx()) for m in maps)
    assert not [g for g in _projections(gds_server) if g.startswith("journeygraph-")]


def test_neo4j_query_names_a_gds_projection_itself(
    gds_server: Neo4jStore, neo4j_settings: Settings
) -> None:
    import json

    from typer.testing import CliRunner

    from journeygraph.cli import ExitCode, app

    gds_server.write(partial(push, m=load(EXAMPLES / "b2b-saas.yaml")))
    args = ["neo4j", "query", "gds/handoff-brokers", "-p", "journey=b2b-saas"]
    args += ["--uri", neo4j_settings.uri, "-f", "json"]
    for _ in range(2):  # a second run makes up a new name: no clash with the first
        result = CliRunner().invoke(app, args)
        assert result.exit_code == ExitCode.OK, result.stderr
        rows = json.loads(result.stdout)["rows"]
        want = _network_rows(gds_server, "gds/handoff-brokers", "b2b-saas")
        assert rows == want
    assert not [g for g in _projections(gds_server) if g.startswith("journeygraph-")]


@pytest.fixture(scope="module")
def small_sandboxed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """A second test server, configured as two tests need: GDS left in Neo4j's sandbox,
    and each transaction (and all together) limited to 32 MB. One server for both, as
    a start (and its first plans) cost more than either test's work."""
    from tests import neo4j_server

    if not neo4j_server.built():
        if os.environ.get("CI"):  # CI's setup always builds it: missing is a failure
            pytest.fail("the test server of tests/neo4j-server is not built")
        pytest.skip("needs the test server of tests/neo4j-server: run `make setup`")
    folder = tmp_path_factory.mktemp("small-sandboxed") / "data"
    with neo4j_server.start(folder, sandboxed=True, transaction_memory=32_000_000) as settings:
        yield settings


def test_a_sandboxed_gds_is_said_when_asked_for_and_the_audit_needs_none(
    small_sandboxed: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GDS installed but not allowed out of Neo4j's sandbox: Neo4j lists its
    # procedures, then refuses every query that calls them. The audit does not
    # use GDS unless asked (--gds), so it neither notices nor says so.
    from typer.testing import CliRunner

    from journeygraph.cli import ExitCode, app

    sandboxed = small_sandboxed
    uri = ["--uri", sandboxed.uri]
    pushed = CliRunner().invoke(app, ["neo4j", "push", str(EXAMPLES / "b2b-saas.yaml"), *uri])
    assert pushed.exit_code == ExitCode.OK, pushed.stderr
    base = ["neo4j", "audit", "b2b-saas", *uri, "-f", "json", "--fail-on", "never"]
    auto = CliRunner().invoke(app, base)
    assert auto.exit_code == ExitCode.OK, auto.stderr
    [summary] = auto.stderr.splitlines()  # the findings' count, nothing about GDS
    assert summary.endswith("(1 waived) in 1 journey.")
    local = audit(load(EXAMPLES / "b2b-saas.yaml"))
    rules = [f["rule"] for f in json.loads(auto.stdout)["findings"]]
    assert rules == [f.rule for f in local.findings]
    assert "loop" in rules
    kept = CliRunner().invoke(app, [*base, "--no-gds"])  # still accepted: the default
    assert (kept.exit_code, kept.stdout, kept.stderr) == (ExitCode.OK, auto.stdout, auto.stderr)
    asked = CliRunner().invoke(app, [*base, "--gds"])
    assert asked.exit_code == ExitCode.ERROR
    assert asked.stdout == ""
    assert asked.stderr.startswith(f"journeygraph: {sandboxed.shown} has the Graph Data")
    assert asked.stderr.rstrip().endswith("or leave out --gds")
    # A GDS query is refused before it projects anything it could not drop.
    args = ["neo4j", "query", "gds/handoff-brokers", "-p", "journey=b2b-saas", *uri]
    refused = CliRunner().invoke(app, args)
    assert refused.exit_code == ExitCode.ERROR
    assert "has the Graph Data Science library but refused a call to it" in refused.stderr
    with connect(sandboxed) as store:
        assert not _projections(store)
        # Without that check the query fails after projecting: what it leaves
        # is dropped before the error is reported.
        import journeygraph.cli.neo4j as cli_neo4j

        monkeypatch.setattr(cli_neo4j, "_gds_ready", lambda *_, **__: None)
        failed = CliRunner().invoke(app, args)
        assert failed.exit_code == ExitCode.ERROR
        assert "gds.util.asNode is unavailable because it is sandboxed" in failed.stderr
        assert not _projections(store)


def test_drop_left_drops_this_runs_projections_only(gds_server: Neo4jStore) -> None:
    gds_server.write(partial(push, m=load(EXAMPLES / "b2b-saas.yaml")))
    project = "CALL gds.graph.project($name, 'Touchpoint', 'NEXT') YIELD graphName RETURN graphName"
    ours = [gds.graph_name(), gds.graph_name()]
    for name in [*ours, "someone-elses"]:
        gds_server.run(project, {"name": name})
    assert sorted(gds.drop_left(gds_server)) == sorted(ours)
    assert _projections(gds_server) == ["someone-elses"]
    gds_server.run("CALL gds.graph.drop('someone-elses') YIELD graphName RETURN graphName", {})


PREVIOUS_RELEASE = Path(__file__).parent / "previous_release"
"""The push queries as the release before the JourneyGraph label had them."""


def _previous(name: str) -> library.Query:
    return library.parse(name, (PREVIOUS_RELEASE / f"{name}.cypher").read_text(encoding="utf-8"))


def _push_as_previous_release(server: Neo4jStore, m: JourneyMap) -> None:
    """Push a new journey with the previous release's schema and queries, as it did."""
    for statement in library.statements(_previous("schema").text):
        server.run(statement, {})
    rows = rows_of(m)
    journey = m.journey.id

    def work(tx: Runner) -> None:
        tx.run(_previous("lock").text, {})
        for section in UPSERT_ORDER:
            q = _previous(f"upsert-{section}")
            for batch in batches(rows[section], 1000):
                given = {"journey": journey, "rows": batch}
                tx.run(q.text, {k: given[k] for k in q.parameters if k in given})
        tx.run(
            _previous("stamp-journey").text,
            {"journey": journey, "pushed_at": "2026-12-01T00:00:00Z"},
        )
        nodes, links = finding_rows(audit(m))
        tx.run(_previous("upsert-findings").text, {"journey": journey, "rows": nodes})
        for kind, link_rows in links.items():
            # The previous release named a finding by its position, a number.
            numbered = [{**r, "finding": int(r["finding"])} for r in link_rows]
            tx.run(_previous(f"link-findings-{kind}").text, {"journey": journey, "rows": numbered})

    server.write(work)


def test_migrate_brings_a_database_of_the_previous_release_up_to_date(server: Neo4jStore) -> None:
    _empty(server)
    for name in (
        "journeygraph_journey_id",
        "journeygraph_journey",
        "journeygraph_journey_revision",
        "journeygraph_id",
        "journeygraph_search",
        "journeygraph_staged_key",
    ):
        server.run(f"DROP INDEX {name} IF EXISTS", {})
    server.run("DROP CONSTRAINT journeygraph_key IF EXISTS", {})
    _seed_other_application(server, journey="crm-onboarding", twins=False)
    before = _other_graph(server)
    maps = [load(p) for p in EXAMPLE_MAPS]
    for m in maps:
        _push_as_previous_release(server, m)
    old = {r["name"] for r in server.run("SHOW INDEXES YIELD name RETURN name", {})}
    assert {"journey_id", "department_id", "touchpoint_journey_id"} <= old
    # Unmigrated, a push says what to do.
    with pytest.raises(StoreError, match="run `journeygraph neo4j migrate` once"):
        server.write(partial(push, m=_edited(maps[0])))
    code, err = _cli(server, "migrate")
    assert code == 0, err
    assert "dropped the earlier schema: journey_id" in err
    assert f"labelled JourneyGraph: {len(maps)} journeys" in err
    written = sum(len(audit(m).findings) + len(audit(m).waived) for m in maps)
    assert f"linked {written} stored findings from their journey" in err
    indexes = server.run("SHOW INDEXES YIELD name, labelsOrTypes RETURN name, labelsOrTypes", {})
    assert {r["name"] for r in indexes} >= {"journeygraph_key", "journeygraph_journey_id"}
    # Only the token lookups of every database (no labels) and journeygraph's own
    # (on its label, and on that of its staged pushes' nodes).
    ours = (None, ["JourneyGraph"], ["JourneyGraphStaged"])
    assert all(r["labelsOrTypes"] in ours for r in indexes)
    for m in maps:
        assert server.read(partial(pull, journey=m.journey.id)) == m
        _assert_same(server.read(partial(cypher_audit, journey=m.journey.id)), audit(m))
        stored = server.run(
            "MATCH (:Journey:JourneyGraph {key: ['Journey', $j]})-[:HAS_FINDING]->"
            "(x:Finding:JourneyGraph {journey: $j}) "
            "RETURN count(x) AS n, sum(count { (x)-[:ABOUT]->(:JourneyGraph) }) AS links",
            {"j": m.journey.id},
        )
        everything = [*audit(m).findings, *audit(m).waived]
        links = sum(len(set(f.entities)) for f in everything)
        assert stored == [{"n": len(everything), "links": links}]
        assert not server.write(partial(push, m=m)).changed
    assert _other_graph(server) == before
    # Again: nothing to do.
    code, err = _cli(server, "migrate")
    assert (code, err.strip()) == (
        0,
        "up to date: nothing written by an earlier release to migrate",
    )
    server.write(partial(push, m=_edited(maps[0])))
    for journey in server.read(journeys):
        server.write(partial(delete_journey, journey=journey))
    assert _other_graph(server) == before
    assert _ours(server) == 0


def test_lookalikes_of_an_earlier_releases_nodes_are_neither_migrated_nor_sent_to_migrate(
    server: Neo4jStore,
) -> None:
    """Another application's nodes with only the properties journeygraph writes: a
    :Journey with a `version` of its own, or without a first stage; a :Finding
    without what every stored finding has, or at a position journeygraph's finding
    holds; a :Department marked `managed_by: 'journeygraph'` with a property of its
    own. `neo4j migrate` leaves them as they are, and a push of their ids says they
    are another application's (not "run migrate", which would change nothing)."""
    _empty(server)
    b2b = load(EXAMPLES / "b2b-saas.yaml")
    server.write(partial(push, m=b2b))
    server.write(partial(write_findings, result=audit(b2b)))
    server.run(
        """
        CREATE (:Journey {id: 'lookalike-1', name: 'CRM', version: 1})
        CREATE (two:Journey {id: 'lookalike-2', name: 'CRM', version: 2})
        CREATE (two)-[:HAS_STAGE]->(:Stage {journey: 'lookalike-2', id: 's', position: 0})
        CREATE (two)-[:HAS_DEPARTMENT]->(:Department {id: 'lookalike-d', name: 'CRM',
          managed_by: 'journeygraph', team: 'crm'})
        CREATE (:Finding {journey: 'b2b-saas', position: 9999, rule: 'crm-rule'})
        CREATE (:Finding {journey: 'b2b-saas', position: 1, rule: 'crm-rule', severity: 'low',
          message: 'CRM', entities: []})
        """,
        {},
    )
    lookalikes = (
        "MATCH (n) WHERE NOT n:JourneyGraph AND (n.id STARTS WITH 'lookalike-' "
        "OR n.journey STARTS WITH 'lookalike-' OR n.rule = 'crm-rule') DETACH DELETE n"
    )
    try:
        before = _other_graph(server)
        code, err = _cli(server, "migrate")
        assert (code, err.strip()) == (
            0,
            "up to date: nothing written by an earlier release to migrate",
        )
        assert _other_graph(server) == before
        for journey, department in (
            ("lookalike-1", "d"),
            ("lookalike-2", "d"),
            ("j", "lookalike-d"),
        ):
            m = fragment(
                f"departments: [{{id: {department}}}]\nstages: [{{id: s}}]\n"
                f"functions: [{{id: f, department: {department}}}]\n"
                "touchpoints: [{id: t, stage: s, owners: {R: f, A: f}}]\n"
            )
            m = m.model_copy(update={"journey": m.journey.model_copy(update={"id": journey})})
            with pytest.raises(StoreError) as refused:
                server.write(partial(push, m=m))
            message = str(refused.value)
            assert "is another application's" in message, message
            assert "migrate" not in message, message
        assert "(managed_by 'journeygraph', not as journeygraph writes its own)" in message
        assert _other_graph(server) == before
        assert server.read(journeys) == ["b2b-saas"]
    finally:
        server.run(lookalikes, {})


def test_query_refusing_a_write_says_to_pass_write(server: Neo4jStore) -> None:
    code, err = _cli(server, "query", "--cypher", "CREATE (:Scratch {app: $a})", "-p", "a=x")
    assert code == 2
    assert "refused a write in a read-only transaction" in err
    assert "pass --write to let it write" in err
    assert len(err.strip().splitlines()) == 1
    assert server.run("MATCH (n:Scratch) RETURN count(n) AS n", {}) == [{"n": 0}]


def test_the_server_version_is_read_and_supported(server: Neo4jStore) -> None:
    from tests import neo4j_server

    (row,) = server.run(library.query("sync/server-version").text, {})
    if neo4j_server.own_server() is None:  # the build NEO4J_TEST_SERVER picked
        build = neo4j_server.selected()
        assert row["version"] == build.neo4j_version()
        if build.cypher:  # the newest: queries without a CYPHER prefix run as Cypher 25
            rows = server.run("SHOW DATABASES YIELD name, defaultLanguage RETURN *", {})
            assert {r["defaultLanguage"] for r in rows} == {f"CYPHER {build.cypher}"}
    assert unsupported(row["version"]) is None
    assert unsupported("5.25.1") is not None
    assert unsupported("2025.06.0") is None
    assert unsupported("2026.08.1") is None


def test_entry_to_purchase_paths_to_an_entry_come_from_the_other_entries(
    server: Neo4jStore,
) -> None:
    from journeygraph import loads

    m = loads(
        "version: 1\njourney: {id: two-doors}\nstages: [{id: s}]\n"
        "functions: [{id: desk, name: Desk}]\n"
        "touchpoints:\n"
        "  - {id: web, stage: s, entry: true, owners: {R: desk}, next: [{to: shop}]}\n"
        "  - {id: shop, stage: s, entry: true, owners: {R: desk}, next: [{to: paid}]}\n"
        "  - {id: paid, stage: s, exit: true, owners: {R: desk}}\n",
        "two-doors.yaml",
    )
    server.write(partial(push, m=m))
    q = library.query("explore/entry-to-purchase-paths")
    rows = server.read(
        lambda tx: tx.run(q.text, {"journey": "two-doors", "target": "shop", "limit": 10})
    )
    assert rows == [{"path": ["web", "shop"], "steps": 1, "changes_of_hands": 0}]
    server.write(partial(delete_journey, journey="two-doors"))


def test_running_out_of_transaction_memory_names_the_query_and_what_to_do(
    small_sandboxed: Settings,
) -> None:
    # A server whose transactions may use 32 MB (20 MB until the revision pointer: on
    # Neo4j 2026.08 its handoff-gap query then peaked just over 19 MiB for this
    # journey, where 5.26 still fits 20 MB): a 600-touchpoint journey, one
    # loop through all of it, pushes and audits in Cypher (finding its loops by
    # mutual reachability did not fit), with the in-process findings, loops and
    # reachability searched in the database too; a query that does not fit is
    # named, with what to do.
    from typer.testing import CliRunner

    from journeygraph.cli import ExitCode, app
    from tests.store.test_push import _big_map

    m = _big_map(600, 20)
    hungry = "UNWIND range(1, 10000000) AS i WITH collect(i) AS numbers RETURN size(numbers) AS n"
    small = small_sandboxed  # its GDS sandboxed too: the audit uses none
    with connect(small) as store:
        ensure_schema(store)
        store.write(partial(push, m=m))
        searched = store.read(partial(cypher_audit, journey=m.journey.id, in_database=True))
    audited = CliRunner().invoke(
        app, ["neo4j", "audit", m.journey.id, "--no-gds", "--uri", small.uri, "-f", "json"]
    )
    refused = CliRunner().invoke(app, ["neo4j", "query", "--cypher", hungry, "--uri", small.uri])
    assert audited.exit_code == ExitCode.FINDINGS, audited.stderr
    found = [(f["rule"], f["entities"]) for f in json.loads(audited.stdout)["findings"]]
    assert found == [(f.rule, list(f.entities)) for f in audit(m).findings]
    assert any(rule == "loop" for rule, _ in found)
    assert [(f.rule, list(f.entities)) for f in searched.findings] == found
    assert refused.exit_code == ExitCode.ERROR
    message = refused.stderr.strip()
    assert "ran out of transaction memory running a query" in message
    assert "dbms.memory.transaction.total.max" in message
    # By default `neo4j audit` finds loops on the transitions it pulls; GDS is no help.
    assert "Graph Data Science" not in message
    assert len(message.splitlines()) == 1


def test_rows_come_back_as_the_drivers_data_gives_them(server: Neo4jStore) -> None:
    # Plain rows skip the driver's walk of each value; nodes, maps and nested
    # lists are still turned into dicts and lists by it.
    server.run("CREATE (:Scratch {app: $a, name: 'n'})", {"a": OTHER_APP})
    rows = server.read(
        lambda tx: tx.run(
            "MATCH (n:Scratch {app: $a}) RETURN 'x' AS text, 1 AS number, null AS nothing, "
            "[1, 'y', null] AS plain, [[1, 2]] AS nested, {k: [1]} AS map, n AS node",
            {"a": OTHER_APP},
        )
    )
    assert rows == [
        {
            "text": "x",
            "number": 1,
            "nothing": None,
            "plain": [1, "y", None],
            "nested": [[1, 2]],
            "map": {"k": [1]},
            "node": {"app": OTHER_APP, "name": "n"},
        }
    ]
    server.run("MATCH (n:Scratch {app: $a}) DELETE n", {"a": OTHER_APP})


def test_update_shared_keeps_every_journey_valid_and_an_inconsistent_one_is_one_line(
    server: Neo4jStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.store.test_push import _in_department

    _empty(server)
    one = _in_department("one", "brand", ["brand", "growth"])
    two = _in_department("two", "brand", ["brand"])
    for m in (one, two):
        server.write(partial(push, m=m))
    # Moving the shared function to a department 'two' does not list is refused, in
    # one transaction and staged, and nothing changes.
    moved = _in_department("one", "growth", ["brand", "growth"])
    with pytest.raises(StoreError) as refused:
        server.write(partial(push, m=moved, update_shared=True))
    assert "journey 'two', which shares it, does not list that department" in str(refused.value)
    monkeypatch.setattr(staging, "STAGE_ABOVE", 0)
    with pytest.raises(StoreError, match="'two' would no longer be a valid map"):
        push_journey(server, moved, update_shared=True)
    assert [server.read(partial(pull, journey=j)) for j in ("one", "two")] == [one, two]
    # As an earlier release's --update-shared left it: pull and audit of 'two' say
    # what is inconsistent, in one line, exit 2.
    server.run(
        "MATCH (f:JobFunction:JourneyGraph {id: 'marketing'})-[r:PART_OF]->() DELETE r "
        "WITH DISTINCT f MATCH (d:Department:JourneyGraph {id: 'growth'}) "
        "CREATE (f)-[:PART_OF]->(d)",
        {},
    )
    for args in (["pull", "two", "-o", str(tmp_path / "two.yaml")], ["audit", "two"]):
        code, err = _cli(server, *args)
        assert code == 2, err
        assert err.startswith("journeygraph: journey 'two' in the database is inconsistent (")
        assert "unknown department 'growth'" in err
        assert "push its map again" in err
        assert len(err.strip().splitlines()) == 1
    # Both maps pushed together put it right.
    for m in (one, two):
        server.write(partial(push, m=m, together={"one", "two"}))
    assert [server.read(partial(pull, journey=j)) for j in ("one", "two")] == [one, two]
    for journey in ("one", "two"):
        server.write(partial(delete_journey, journey=journey))


def test_prune_lists_the_journeys_it_would_delete_and_deletes_none_unconfirmed(
    server: Neo4jStore,
) -> None:
    _empty(server)
    for name in ("b2b-saas", "mortgage"):
        server.write(partial(push, m=load(EXAMPLES / f"{name}.yaml")))
    code, err = _cli(server, "push", "--prune", str(EXAMPLES / "b2b-saas.yaml"))
    assert (code, err.strip()) == (
        2,
        "journeygraph: --prune would delete 1 journey the maps given do not hold "
        "(mortgage): pass --yes to confirm",
    )
    assert sorted(server.read(journeys)) == ["b2b-saas", "mortgage"]


def _answers(server: Neo4jStore) -> dict[str, list[str]]:
    """Every explore query's rows (with the parameters of its `:params` line) and every
    Bloom phrase's on b2b-saas, each query's rows sorted."""
    answers = {}
    for q in [*library.queries("explore"), *library.queries("bloom")]:
        given = {"journey": "b2b-saas"}
        if q.name.startswith("explore/"):
            given = {}
            if q.parameters:
                (row,) = server.run(f"RETURN {q.browser.removeprefix(':params ')} AS p", {})
                given = row["p"]
        rows = server.run(q.text, given)
        answers[q.name] = sorted(json.dumps(r, sort_keys=True, default=str) for r in rows)
    return answers


def test_another_applications_graph_changes_no_answer_of_the_shipped_queries(
    server: Neo4jStore,
) -> None:
    _empty(server)
    for path in EXAMPLE_MAPS:
        m = load(path)
        server.write(partial(push, m=m))
        server.write(partial(write_findings, result=audit(m)))
    before = _answers(server)
    assert all(before.values())
    # Another application's graph under the same labels, ids and types, linked to
    # journeygraph's touchpoints, stage and function, and from a stored finding.
    _seed_other_application(server)
    b2b = load(EXAMPLES / "b2b-saas.yaml")
    keys = [["Touchpoint", "b2b-saas", t.id] for t in b2b.touchpoints[:3]]
    keys += [["Stage", "b2b-saas", b2b.stages[0].id], ["JobFunction", b2b.functions[0].id]]
    _attach(server, keys)
    server.run(
        "MATCH (x:Finding:JourneyGraph {journey: 'b2b-saas'}), (t:Touchpoint {app: $app}) "
        "WITH x, t LIMIT 1 CREATE (x)-[:ABOUT {app: $app}]->(t) "
        "WITH t MATCH (f:JobFunction:JourneyGraph), (d:Department {app: $app}) "
        "WITH f, d LIMIT 1 CREATE (f)-[:PART_OF {app: $app}]->(d) "
        "WITH d MATCH (g:JobFunction {app: $app}), (u:Touchpoint:JourneyGraph) "
        "WITH g, u LIMIT 1 CREATE (g)-[:OWNS {role: 'R', app: $app}]->(u)",
        {"app": OTHER_APP},
    )
    # A way of its own from b2b-saas's entries (its first stage's touchpoints) to the
    # target of explore/entry-to-purchase-paths' `:params`, shorter than the journey's.
    server.run(
        "MATCH (e:Touchpoint:JourneyGraph {journey: 'b2b-saas'})"
        "-[:IN_STAGE]->(:Stage:JourneyGraph {position: 0}) "
        "MATCH (t:Touchpoint:JourneyGraph {journey: 'b2b-saas', id: 'signature'}) "
        "CREATE (e)-[:NEXT {app: $app}]->(:Touchpoint {app: $app})-[:NEXT {app: $app}]->(t)",
        {"app": OTHER_APP},
    )
    assert _answers(server) == before


def _searched(server: Neo4jStore, m: JourneyMap) -> dict[str, Any]:
    """The audit of ``m`` searched in the database (with GDS too, where the server has
    it), and the touchpoints the Browser's audit/unreachable-touchpoint lists."""
    journey = m.journey.id
    found: dict[str, Any] = {
        "in-database": server.read(partial(cypher_audit, journey=journey, in_database=True))
    }
    if server.read(gds.installed):
        found["gds"] = server.read(partial(cypher_audit, journey=journey, gds=True))
    q = library.query("audit/unreachable-touchpoint")
    rows = server.run(q.text, {"journey": journey})
    found["unreachable"] = sorted(row["entities"][0] for row in rows)
    return found


def test_a_foreign_next_through_journeygraphs_touchpoints_changes_no_loop_or_reach(
    server: Neo4jStore,
) -> None:
    from journeygraph.algorithms import unreachable_touchpoints

    _empty(server)
    maps = [load(p) for p in EXAMPLE_MAPS]
    for m in maps:
        server.write(partial(push, m=m))
    before = {m.journey.id: _searched(server, m) for m in maps}
    # Another application's touchpoint in each journey (its label and journey id),
    # with a NEXT from and to every touchpoint of journeygraph's: through it, every
    # touchpoint would reach every other, in one loop, none unreachable.
    server.run(
        "MATCH (t:Touchpoint:JourneyGraph) WITH t.journey AS journey, collect(t) AS ours "
        "CREATE (hub:Touchpoint {journey: journey, id: 'crm-hub', app: $app}) "
        "WITH hub, ours UNWIND ours AS t "
        "CREATE (t)-[:NEXT {weight: 1.0, position: 0, app: $app}]->(hub) "
        "CREATE (hub)-[:NEXT {weight: 1.0, position: 0, app: $app}]->(t)",
        {"app": OTHER_APP},
    )
    rules: set[str] = set()
    for m in maps:
        after, want = _searched(server, m), audit(m)
        rules.update(f.rule for f in want.findings)
        for way in ("in-database", "gds"):
            if way in after:
                _assert_same(after[way], before[m.journey.id][way])
                _assert_same(after[way], want)
        unreachable = sorted(unreachable_touchpoints(m.to_networkx()))
        assert after["unreachable"] == before[m.journey.id]["unreachable"] == unreachable
    assert rules >= {"loop", "unreachable-touchpoint", "dead-end"}
