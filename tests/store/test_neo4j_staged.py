"""Staged pushes against a real Neo4j server (tests/neo4j_server.py), the threshold lowered.

A staged push writes the journey whole as a version no read sees, in batches,
then switches to it in one transaction (`journeygraph.store.staging`).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import pytest

from journeygraph import audit, load
from journeygraph.exceptions import StoreError
from journeygraph.model import JobFunction
from journeygraph.store import staging
from journeygraph.store.audit import cypher_audit
from journeygraph.store.driver import Neo4jStore
from journeygraph.store.findings import write_findings
from journeygraph.store.reader import pull
from journeygraph.store.staging import push_journey
from journeygraph.store.writer import push
from tests.conftest import EXAMPLES
from tests.store.embedded import Ladybug
from tests.store.test_embedded import _assert_same
from tests.store.test_neo4j_server import (  # noqa: F401 (server: a fixture)
    EXAMPLE_MAPS,
    OTHER_APP,
    _answers,
    _cli,
    _empty,
    server,
)
from tests.store.test_push import _edited, _sharing

pytestmark = pytest.mark.neo4j

# What no read meets: staged marks and stand-ins, nodes of earlier builds' staged
# pushes, and the nodes and handoffs of a journey's versions but its current one.
_LEFT = """
MATCH (n)
WHERE n:JourneyGraphStaged OR n:JourneyGraphRetired
  OR (n:JourneyGraph AND (n:Stage OR n:Touchpoint OR n:Persona OR n:Opportunity)
    AND NOT EXISTS { MATCH (:Journey:JourneyGraph {id: n.journey, revision: n.revision}) })
WITH count(n) AS nodes
RETURN nodes + COUNT {
  MATCH ()-[h:HANDS_OFF_TO]->()
  WHERE NOT EXISTS { MATCH (:Journey:JourneyGraph {id: h.journey, revision: h.revision}) }
} AS n
"""


@pytest.fixture
def staged(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every push that changes anything is staged."""
    monkeypatch.setattr(staging, "STAGE_ABOVE", 0)
    return


def _left(server: Neo4jStore) -> int:  # noqa: F811
    (row,) = server.run(_LEFT, {})
    return int(row["n"])


def _pushed_in_one_transaction(m: object) -> object:
    """The map a push in one transaction reads back (on LadybugDB, empty each time)."""
    db = Ladybug()
    db.load(m)  # type: ignore[arg-type]
    return pull(db, m.journey.id)  # type: ignore[attr-defined]


def _assert_findings_about_ours(server: Neo4jStore) -> None:  # noqa: F811
    # The audit's findings point at journeygraph's nodes only, never the retired ones.
    (row,) = server.run(
        "MATCH (:Journey:JourneyGraph {id: 'b2b-saas'})-[:HAS_FINDING]->(:Finding)-[:ABOUT]->(n) "
        "RETURN count(n) AS about, count(CASE WHEN n:JourneyGraph THEN 1 END) AS ours",
        {},
    )
    assert row["about"] == row["ours"] > 0


def _finding_links(server: Neo4jStore) -> list[tuple[object, ...]]:  # noqa: F811
    # Each stored finding's links: to what (label, id), and whether of the version read.
    rows = server.run(
        "MATCH (j:Journey:JourneyGraph {id: 'b2b-saas'})-[:HAS_FINDING]->(f:Finding)-[:ABOUT]->(n) "
        "RETURN f.rule AS rule, f.entities AS entities, n.key[0] AS label, n.id AS id, "
        "(n.revision IS NULL OR n.revision = j.revision) AS current",
        {},
    )
    return sorted(
        (r["rule"], tuple(r["entities"]), r["label"], r["id"], r["current"]) for r in rows
    )


@pytest.mark.usefixtures("staged")
def test_a_staged_push_pulls_as_a_push_in_one_transaction(server: Neo4jStore) -> None:  # noqa: F811
    _empty(server)
    b2b = load(EXAMPLES / "b2b-saas.yaml")
    created = push_journey(server, b2b, batch_size=7)
    assert (created.staged, created.created) == (True, True)
    assert created.written["touchpoints"] == len(b2b.touchpoints)
    pulled = server.read(partial(pull, journey="b2b-saas"))
    assert pulled == b2b == _pushed_in_one_transaction(b2b)
    _assert_same(server.read(partial(cypher_audit, journey="b2b-saas")), audit(b2b))
    # Findings stored, then an update staged: they follow the touchpoints of the
    # new version (a finding about a touchpoint that left keeps no link to it).
    server.write(partial(write_findings, result=audit(b2b)))
    edited = _edited(b2b)
    updated = push_journey(server, edited, batch_size=7)
    assert (updated.staged, updated.created) == (True, False)
    assert server.read(partial(pull, journey="b2b-saas")) == edited
    _assert_same(server.read(partial(cypher_audit, journey="b2b-saas")), audit(edited))
    _assert_findings_about_ours(server)
    assert _left(server) == 0
    # Moved after the switch, not in it: the links the same findings written afresh on
    # the new version get, each to its current node.
    moved = _finding_links(server)
    assert any(label == "Touchpoint" for _, _, label, *_ in moved)
    assert all(current for *_, current in moved)
    server.write(partial(write_findings, result=audit(b2b)))
    assert _finding_links(server) == moved
    # Back to the file, staged again: the same nodes and relationships as a push
    # of the file in one transaction.
    push_journey(server, b2b)
    assert server.read(partial(pull, journey="b2b-saas")) == b2b
    assert _left(server) == 0


def _counts(server: Neo4jStore) -> tuple[int, int]:  # noqa: F811
    (row,) = server.run(
        "MATCH (n:JourneyGraph) WHERE NOT n:Finding "
        "RETURN count(n) AS nodes, "
        "count { MATCH (:JourneyGraph)-[r]->(:JourneyGraph) } AS relationships",
        {},
    )
    return int(row["nodes"]), int(row["relationships"])


def test_a_staged_push_writes_what_a_push_in_one_transaction_writes(
    server: Neo4jStore,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    maps = [load(p) for p in EXAMPLE_MAPS]
    _empty(server)
    for m in maps:
        server.write(partial(push, m=m))
    one_transaction = _counts(server)
    _empty(server)
    monkeypatch.setattr(staging, "STAGE_ABOVE", 0)
    for m in maps:
        assert push_journey(server, m).staged
    assert _counts(server) == one_transaction
    for m in maps:
        assert server.read(partial(pull, journey=m.journey.id)) == m


@pytest.mark.usefixtures("staged")
def test_a_push_stopped_between_batches_leaves_the_old_journey_whole(
    server: Neo4jStore,  # noqa: F811
) -> None:
    _empty(server)
    maps = [load(p) for p in EXAMPLE_MAPS]
    for m in maps:
        server.write(partial(push, m=m))
    before = {m.journey.id: server.read(partial(pull, journey=m.journey.id)) for m in maps}
    first = maps[0]
    edited = _edited(first)
    sent = 0
    # Stopped after the first batches of stages and touchpoints (and the
    # functions' stand-ins before them).
    stop = -(-len(edited.functions) // 5) + 3

    def stop_midway(rows: int) -> None:
        nonlocal sent
        sent += 1
        if sent == stop:
            raise KeyboardInterrupt("stopped (simulated)")

    with pytest.raises(KeyboardInterrupt):
        push_journey(server, edited, batch_size=5, progress=stop_midway)
    assert _left(server) > 0  # what it staged is left, and read by nobody
    for m in maps:
        assert server.read(partial(pull, journey=m.journey.id)) == before[m.journey.id]
        _assert_same(server.read(partial(cypher_audit, journey=m.journey.id)), audit(m))
    # The next push removes it, and succeeds.
    assert push_journey(server, edited, batch_size=5).staged
    assert server.read(partial(pull, journey=first.journey.id)) == edited
    assert _left(server) == 0
    for m in maps[1:]:
        assert server.read(partial(pull, journey=m.journey.id)) == m
    # Stopped again: `neo4j migrate` removes what it staged too.
    sent = 0
    with pytest.raises(KeyboardInterrupt):
        push_journey(server, first, batch_size=5, progress=stop_midway)
    assert _left(server) > 0
    code, err = _cli(server, "migrate")
    assert code == 0, err
    assert "that unfinished staged pushes left" in err
    assert _left(server) == 0
    assert server.read(partial(pull, journey=first.journey.id)) == edited


def _staged_removed(server: Neo4jStore) -> None:  # noqa: F811
    """Another push of the journey starts: it removes what this one staged."""
    staging.delete_leftovers(server, "b2b-saas", token="someone else's")


def _function_deleted(server: Neo4jStore) -> None:  # noqa: F811
    """Another journey's push deletes a function the staged version uses and the
    journey does not list yet (the journey's own it could not: the journey lists
    them): the switch refuses, as roles on it went with it."""
    server.run(
        "MATCH (f:JobFunction:JourneyGraph {key: ['JobFunction', 'newcomer']}) DETACH DELETE f", {}
    )


@pytest.mark.usefixtures("staged")
@pytest.mark.parametrize("meanwhile", [_staged_removed, _function_deleted])
def test_a_staged_version_another_push_cut_is_not_switched_to(
    server: Neo4jStore,  # noqa: F811
    meanwhile: Callable[[Neo4jStore], None],
) -> None:
    _empty(server)
    b2b = load(EXAMPLES / "b2b-saas.yaml")
    server.write(partial(push, m=b2b))
    # A function another journey holds, which the update gives a role.
    server.run(
        "CREATE (:JobFunction:JourneyGraph {key: ['JobFunction', 'newcomer'], id: 'newcomer', "
        "name: 'Newcomer'})",
        {},
    )
    edited = _edited(b2b)
    edited.functions.append(JobFunction(id="newcomer", name="Newcomer"))
    edited.touchpoints[2].owners.consulted.append("newcomer")
    edited = type(edited).model_validate(edited.model_dump(by_alias=True))
    with pytest.raises(StoreError, match="push again"):
        push_journey(server, edited, batch_size=50, progress=lambda rows: meanwhile(server))
    assert server.read(partial(pull, journey="b2b-saas")) == b2b
    edited.functions.pop()
    edited.touchpoints[2].owners.consulted.remove("newcomer")
    edited = type(edited).model_validate(edited.model_dump(by_alias=True))
    assert push_journey(server, edited).staged
    assert server.read(partial(pull, journey="b2b-saas")) == edited


@pytest.mark.usefixtures("staged")
def test_shared_functions_stay_consistent_across_a_staged_switch(
    server: Neo4jStore,  # noqa: F811
) -> None:
    _empty(server)
    one, two = _sharing("one", "Marketing"), _sharing("two", "Marketing")
    for m in (one, two):
        assert push_journey(server, m).staged
    # A change to a shared function is refused at the plan, before anything is staged.
    renamed = _sharing("one", "Growth")
    with pytest.raises(StoreError, match="shared with journey"):
        push_journey(server, renamed)
    assert _left(server) == 0
    assert server.read(partial(pull, journey="one")) == one
    # With --update-shared it is applied in the switch, for both journeys.
    result = push_journey(server, renamed, update_shared=True)
    assert result.staged
    assert result.shared
    assert server.read(partial(pull, journey="one")) == renamed
    assert server.read(partial(pull, journey="two")) == _sharing("two", "Growth")


class _StoppedInRetirement:
    """A store whose process is stopped after the switch, while the old version is
    being removed: after the first batch of its removal."""

    def __init__(self, server: Neo4jStore) -> None:  # noqa: F811
        self.server, self.switched, self.removed = server, False, 0

    def read(self, work: Callable[[Any], Any]) -> Any:
        return self.server.read(work)

    def write(self, work: Callable[[Any], Any]) -> Any:
        name = getattr(getattr(work, "func", work), "__name__", "")
        if self.switched and name == "_remove":
            self.removed += 1
            if self.removed == 2:
                raise KeyboardInterrupt("stopped (simulated)")
        done = self.server.write(work)
        self.switched |= name == "_switch"
        return done


@pytest.mark.usefixtures("staged")
def test_a_push_stopped_while_the_old_version_is_removed_leaves_the_new_one_whole(
    server: Neo4jStore,  # noqa: F811
) -> None:
    _empty(server)
    b2b = load(EXAMPLES / "b2b-saas.yaml")
    server.write(partial(push, m=b2b))
    server.write(partial(write_findings, result=audit(b2b)))
    # Another application links a touchpoint that leaves the map.
    gone = b2b.touchpoints[3].id
    server.run(
        "MATCH (t:Touchpoint:JourneyGraph {journey: 'b2b-saas', id: $t}) "
        "CREATE (:OtherApp {app: $app})-[:VISITED {app: $app}]->(t)",
        {"t": gone, "app": OTHER_APP},
    )
    edited = _edited(b2b)
    stopped = _StoppedInRetirement(server)
    with pytest.raises(KeyboardInterrupt):
        push_journey(stopped, edited, batch_size=5)
    assert stopped.switched
    assert stopped.removed == 2
    assert _left(server) > 0  # the rest of the old version, read by nobody
    assert server.read(partial(pull, journey="b2b-saas")) == edited
    _assert_same(server.read(partial(cypher_audit, journey="b2b-saas")), audit(edited))
    _assert_findings_about_ours(server)
    # The next push removes the rest (and the other application's relationship on
    # the touchpoint that left, if its removal had not come to it: counted then).
    (visited,) = server.run("MATCH ()-[r:VISITED]->() RETURN count(r) AS n", {})
    again = push_journey(server, edited)
    assert not again.changed
    assert again.detached == visited["n"]
    assert _left(server) == 0
    assert server.read(partial(pull, journey="b2b-saas")) == edited


_LINK = (
    "MATCH (t:Touchpoint:JourneyGraph {journey: 'b2b-saas', id: $t}) "
    "MATCH (:Journey:JourneyGraph {id: 'b2b-saas', revision: t.revision}) "
    "CREATE (:OtherApp {app: $app})-[r:VISITED {app: $app}]->(t) "
    "RETURN elementId(r) AS r, elementId(t) AS t"
)


class _LinkedAfterTheSwitch:
    """A store on which another application links the journey's touchpoint as it
    reads once the switch has committed: a touchpoint of the replaced version, until
    its removal."""

    def __init__(self, server: Neo4jStore, given: dict[str, str]) -> None:  # noqa: F811
        self.server, self.given = server, given
        self.linked: list[dict[str, Any]] = []

    def read(self, work: Callable[[Any], Any]) -> Any:
        return self.server.read(work)

    def write(self, work: Callable[[Any], Any]) -> Any:
        done = self.server.write(work)
        if getattr(getattr(work, "func", work), "__name__", "") == "_switch":
            self.linked.append(self.server.run(_OLD_LINK, self.given)[0])
        return done


_OLD_LINK = (
    "MATCH (t:Touchpoint:JourneyGraph {journey: 'b2b-saas', id: $t}) "
    "WHERE NOT EXISTS { MATCH (:Journey:JourneyGraph {id: 'b2b-saas', revision: t.revision}) } "
    "CREATE (:OtherApp {app: $app})-[r:VISITED {app: $app}]->(t) "
    "RETURN elementId(r) AS r, elementId(t) AS t"
)


@pytest.mark.usefixtures("staged")
def test_a_relationship_another_application_adds_during_the_push_is_not_lost(
    server: Neo4jStore,  # noqa: F811
) -> None:
    """Another application links the journey's touchpoint while a staged push runs:
    before the switch (to the current version's node), and after it (to the node
    of the replaced version, which its removal has not come to yet). Each link
    keeps its identity, and ends on the journey's touchpoint: the node it links
    takes the place of the current version's of its id, rather than being
    removed with the replaced version."""
    _empty(server)
    b2b = load(EXAMPLES / "b2b-saas.yaml")
    server.write(partial(push, m=b2b))
    stays, also = b2b.touchpoints[0].id, b2b.touchpoints[1].id
    edited = _edited(b2b)
    assert {stays, also} <= {t.id for t in edited.touchpoints}
    before: list[dict[str, Any]] = []
    store = _LinkedAfterTheSwitch(server, {"t": also, "app": OTHER_APP})

    def link_midway(rows: int) -> None:
        if not before:
            before.append(server.run(_LINK, {"t": stays, "app": OTHER_APP})[0])

    result = push_journey(store, edited, batch_size=5, progress=link_midway)
    assert result.staged
    assert result.detached == 0
    linked = [*before, *store.linked]
    assert len(linked) == 2
    rows = server.run(
        "MATCH (:OtherApp {app: $app})-[r:VISITED]->(t:Touchpoint:JourneyGraph) "
        "MATCH (:Journey:JourneyGraph {id: 'b2b-saas', revision: t.revision}) "
        "WITH r, t ORDER BY t.position RETURN elementId(r) AS r, elementId(t) AS t",
        {"app": OTHER_APP},
    )
    assert rows == linked
    assert server.read(partial(pull, journey="b2b-saas")) == edited
    _assert_same(server.read(partial(cypher_audit, journey="b2b-saas")), audit(edited))
    assert _left(server) == 0


_WITHOUT_REVISIONS = """
MATCH (j:Journey:JourneyGraph)
REMOVE j.revision, j.leftovers
WITH count(*) AS journeys
MATCH (n:JourneyGraph)
WHERE n:Stage OR n:Touchpoint OR n:Persona OR n:Opportunity
SET n.key = n.key[0..3]
REMOVE n.revision
WITH count(*) AS nodes
MATCH ()-[h:HANDS_OFF_TO]->()
REMOVE h.revision
RETURN count(*) AS handoffs
"""


def test_migrate_gives_the_journeys_of_the_release_before_a_revision(
    server: Neo4jStore,  # noqa: F811
) -> None:
    """A database as the release before versions of a journey left it (the same
    nodes, keys of three parts, no revision): a push, pull and audit say to run
    migrate; migrate gives each journey its first revision, once."""
    _empty(server)
    maps = [load(p) for p in EXAMPLE_MAPS]
    for m in maps:
        server.write(partial(push, m=m))
    server.write(partial(write_findings, result=audit(maps[0])))
    server.run(_WITHOUT_REVISIONS, {})
    for work in (partial(push, m=_edited(maps[0])), partial(pull, journey=maps[0].journey.id)):
        with pytest.raises(StoreError, match="run `journeygraph neo4j migrate` once"):
            server.write(work)
    code, err = _cli(server, "migrate")
    assert code == 0, err
    assert f"gave {len(maps)} journeys pushed before versions of a journey" in err
    for m in maps:
        assert server.read(partial(pull, journey=m.journey.id)) == m
        _assert_same(server.read(partial(cypher_audit, journey=m.journey.id)), audit(m))
        assert not server.write(partial(push, m=m)).changed
    _assert_findings_about_ours(server)
    code, err = _cli(server, "migrate")
    assert (code, err.strip()) == (
        0,
        "up to date: nothing written by an earlier release to migrate",
    )
    assert _left(server) == 0


@pytest.mark.usefixtures("staged")
def test_every_read_meets_one_version_while_another_is_staged(
    server: Neo4jStore,  # noqa: F811
) -> None:
    """While a staged push of the journey writes its next version beside the current
    one, and once it has switched, each read meets one version: pull, audit, and
    every explore query and Bloom phrase (`neo4j list` among them)."""
    _empty(server)
    b2b = load(EXAMPLES / "b2b-saas.yaml")
    server.write(partial(push, m=b2b))
    before = _answers(server)
    edited = _edited(b2b)
    seen: list[tuple[object, dict[str, list[str]]]] = []
    batches = 0

    def look(rows: int) -> None:
        nonlocal batches
        batches += 1
        if batches in (3, 12, 40):
            seen.append((server.read(partial(pull, journey="b2b-saas")), _answers(server)))
            _assert_same(server.read(partial(cypher_audit, journey="b2b-saas")), audit(b2b))

    assert push_journey(server, edited, batch_size=5, progress=look).staged
    assert len(seen) == 3
    for pulled, answers in seen:
        assert pulled == b2b
        assert answers == before
    after = _unversioned(_answers(server))
    assert server.read(partial(pull, journey="b2b-saas")) == edited
    _empty(server)
    server.write(partial(push, m=edited))
    # The same answers as the map pushed in one transaction, but for the revision
    # and the time of the push.
    assert after == _unversioned(_answers(server))


def _unversioned(answers: dict[str, list[str]]) -> dict[str, list[str]]:
    """The answers without what names a version or a time: revisions (the last part of a
    key of a journey's node among them), pushed_at."""
    import json

    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            kept = {k: v for k, v in value.items() if k not in ("revision", "pushed_at")}
            if isinstance(kept.get("key"), list) and len(kept["key"]) == 4:
                kept["key"] = kept["key"][:3]
            return {k: strip(v) for k, v in kept.items()}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    return {
        name: sorted(json.dumps(strip(json.loads(row)), sort_keys=True) for row in rows)
        for name, rows in answers.items()
    }


class _Switching:
    """An audit's runner that lets a staged push of the journey switch, and remove the
    version the audit met, right after each of the first ``times`` audits' first rule
    query (their pulls done): the audit's later queries then meet the old version as
    the removal left it (nothing)."""

    def __init__(self, tx: Any, server: Neo4jStore, maps: list[Any], times: int) -> None:  # noqa: F811
        from journeygraph.store import library

        self._tx, self._server, self._maps, self._times = tx, server, maps, times
        self._rules = {library.query(n).text for n in library.names() if n.startswith("audit/")}
        self._pull = library.query("sync/read-journey").text
        self.pushed: list[Any] = []
        self._armed = True

    def run(self, query: str, parameters: Any) -> Any:
        rows = self._tx.run(query, parameters)
        if query in self._rules and self._armed and len(self.pushed) < self._times:
            self._armed = False
            m = self._maps[len(self.pushed) % len(self._maps)]
            self.pushed.append(push_journey(self._server, m))
        elif query == self._pull:  # another try of the audit begins
            self._armed = True
        return rows

    def __getattr__(self, name: str) -> Any:  # pinned, forget: the reads' version checks
        return getattr(self._tx, name)


@pytest.mark.usefixtures("staged")
def test_an_audit_a_staged_switch_straddles_audits_the_new_version(
    server: Neo4jStore,  # noqa: F811
) -> None:
    """A staged push switches, and removes the version an audit met, between two of
    the audit's queries: the audit sees its version is no longer current and audits
    the new one, with that map's findings."""
    _empty(server)
    b2b = load(EXAMPLES / "b2b-saas.yaml")
    server.write(partial(push, m=b2b))
    edited = _edited(b2b)
    assert audit(edited).findings != audit(b2b).findings
    holder: list[_Switching] = []

    def work(tx: Any) -> Any:
        holder[:] = [_Switching(tx, server, [edited], times=1)]
        return cypher_audit(holder[0], "b2b-saas")

    got = server.read(work)
    assert [p.staged for p in holder[0].pushed] == [True]
    _assert_same(got, audit(edited))
    assert _left(server) == 0


@pytest.mark.usefixtures("staged")
def test_an_audit_whose_journey_keeps_switching_gives_up_in_one_line(
    server: Neo4jStore,  # noqa: F811
) -> None:
    """Switched during every try: after `AUDIT_TRIES` audits, one line saying why."""
    from journeygraph.store.audit import AUDIT_TRIES

    _empty(server)
    b2b = load(EXAMPLES / "b2b-saas.yaml")
    server.write(partial(push, m=b2b))
    edited = _edited(b2b)

    def work(tx: Any) -> Any:
        return cypher_audit(_Switching(tx, server, [edited, b2b], times=AUDIT_TRIES), "b2b-saas")

    with pytest.raises(StoreError) as raised:
        server.read(work)
    message = str(raised.value)
    assert f"changed {AUDIT_TRIES} times while it was audited" in message
    assert len(message.splitlines()) == 1
