"""Push and pull on a real engine (LadybugDB): mirror, idempotence, scope, atomicity, batching."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from functools import partial
from typing import Any

import pytest

from journeygraph import JourneyMap, load, loads
from journeygraph.exceptions import StoreError
from journeygraph.model import Transition
from journeygraph.store import library
from journeygraph.store.reader import journeys, pull
from journeygraph.store.rows import SECTIONS, rows_of
from journeygraph.store.writer import check_consistent, plan_push, push
from tests.conftest import EXAMPLES
from tests.store.embedded import Ladybug

# The statements that write data; taking the push lock (sync/lock) changes nothing,
# and sync/foreign-* only read.
_SYNC_WRITES = {
    q.text: q.name
    for q in library.queries("sync")
    if not q.name.startswith(("sync/read-", "sync/foreign-")) and q.name != "sync/lock"
}


class Counting:
    """Passes statements to the engine and counts the writing ones by name."""

    def __init__(self, inner: Ladybug, *, fail_after: int | None = None) -> None:
        self.inner = inner
        self.writes: list[str] = []
        self.fail_after = fail_after

    def run(self, query: str, parameters: Mapping[str, Any]) -> list[dict[str, Any]]:
        if query in _SYNC_WRITES:
            if self.fail_after is not None and len(self.writes) == self.fail_after:
                raise StoreError("connection lost (simulated)")
            self.writes.append(_SYNC_WRITES[query])
        return self.inner.run(query, parameters)


def _pushed(db: Ladybug, m: JourneyMap, **options: Any) -> tuple[Counting, Any]:
    counting = Counting(db)
    result = db.write(lambda tx: push(counting, m, **options))
    return counting, result


def _big_map(touchpoints: int, functions: int) -> JourneyMap:
    """A long journey: every touchpoint with owners, a next step and a way back."""
    fids = [f"f{i}" for i in range(functions)]
    return JourneyMap.model_validate(
        {
            "version": 1,
            "journey": {"id": "big"},
            "stages": [{"id": f"s{i}"} for i in range(5)],
            "functions": [{"id": f} for f in fids],
            "touchpoints": [
                {
                    "id": f"t{i}",
                    "stage": f"s{i * 5 // touchpoints}",
                    "owners": {"R": fids[i % functions], "A": fids[(i + 1) % functions]},
                    "next": [f"t{(i + 1) % touchpoints}", f"t{i // 2}"],
                }
                for i in range(touchpoints)
            ],
        }
    )


def _b2b() -> JourneyMap:
    return load(EXAMPLES / "b2b-saas.yaml")


def _edited(m: JourneyMap) -> JourneyMap:
    """The example with something taken out, changed and added in every section."""
    e = m.model_copy(deep=True)
    removed = e.touchpoints.pop(3).id
    for t in e.touchpoints:
        t.next = [s for s in t.next if s.to != removed]
        t.owners.consulted = list(reversed(t.owners.consulted))
    e.touchpoints[0].next = [Transition(to=e.touchpoints[1].id, weight=0.7), *e.touchpoints[0].next]
    e.touchpoints[0].next = list({s.to: s for s in e.touchpoints[0].next}.values())
    e.touchpoints[1].owners.responsible = ["legal"]
    e.stages[0].name = "Awareness — renamed"
    e.handoffs.pop(0)
    e.journey.name = "Renamed journey"
    idle = {f for t in e.touchpoints for r in "RACI" for f in t.owners.role(r)}  # type: ignore[arg-type]
    idle |= {f for h in e.handoffs for f in (h.from_, h.to)}
    e.functions = [f for f in e.functions if f.id in idle]
    return type(e).model_validate(e.model_dump(by_alias=True))


def test_push_then_pull_gives_an_equal_map() -> None:
    db = Ladybug()
    m = _b2b()
    db.load(m)
    assert pull(db, m.journey.id) == m


def test_pushing_twice_changes_nothing() -> None:
    db = Ladybug()
    m = _b2b()
    _, first = _pushed(db, m)
    counting, second = _pushed(db, m)
    assert first.changed
    assert first.created
    assert not second.changed
    assert not second.created
    assert counting.writes == []


def test_pushing_an_edited_map_leaves_an_exact_mirror() -> None:
    db = Ladybug()
    m = _b2b()
    db.load(m)
    edited = _edited(m)
    assert edited != m
    _, result = _pushed(db, edited)
    assert (result.deleted["touchpoints"], result.deleted["handoffs"]) == (1, 1)
    assert pull(db, m.journey.id) == edited
    # Functions no journey lists any more are gone from the database.
    stored = {r["id"] for r in db.run("MATCH (f:JobFunction) RETURN f.id AS id", {})}
    assert stored == {f.id for f in edited.functions}


def test_the_sweeps_remove_what_no_journey_lists_any_more() -> None:
    # Other applications' nodes are on the real server only (LadybugDB has one
    # label per node): test_neo4j_server.py's foreign-graph tests.
    db = Ladybug()
    m = _b2b()
    db.load(m)
    other = _sharing("other", "Solo", "solo")
    db.load(other)
    _pushed(db, _edited(m))  # drops functions: the sweep runs
    stored = {r["id"] for r in db.run("MATCH (f:JobFunction:JourneyGraph) RETURN f.id AS id", {})}
    assert stored == {f.id for f in _edited(m).functions} | {f.id for f in other.functions}


def test_a_push_never_touches_other_journeys() -> None:
    db = Ladybug()
    b2b, health = _b2b(), load(EXAMPLES / "healthcare-outpatient.yaml")
    db.load(b2b)
    db.load(health)
    shrunk = loads(
        "version: 1\njourney: {id: b2b-saas}\nstages: [{id: s}]\n"
        "touchpoints: [{id: t, stage: s, exit: true}]\n"
    )
    db.load(shrunk)
    assert pull(db, "healthcare-outpatient") == health
    assert pull(db, "b2b-saas") == shrunk
    # marketing is in healthcare's lists: it stays, though b2b-saas dropped it.
    assert db.run("MATCH (f:JobFunction {id: 'marketing'}) RETURN f.name AS name", {}) == [
        {"name": "Marketing leadership"}
    ]
    assert sorted(journeys(db)) == ["b2b-saas", "healthcare-outpatient"]


def test_a_failed_push_leaves_the_previous_state() -> None:
    db = Ladybug()
    m = _b2b()
    db.load(m)
    edited = _edited(m)
    with pytest.raises(StoreError, match="simulated"):
        db.write(lambda tx: push(Counting(db, fail_after=3), edited))
    assert pull(db, m.journey.id) == m


def test_statements_grow_with_batches_not_rows() -> None:
    m = _big_map(1200, 60)
    rows = rows_of(m)
    for size in (250, 1000):
        db = Ladybug()
        counting, result = _pushed(db, m, batch_size=size)
        # One statement a batch of each section, and one to note the time; no
        # sweep, since a new journey lets go of no function or department.
        expected = sum(math.ceil(len(rows[s]) / size) for s in SECTIONS) + 1
        assert len(counting.writes) == expected == result.statements
        assert expected < sum(len(rows[s]) for s in SECTIONS) / 100
        assert pull(db, m.journey.id) == m


def test_progress_reports_every_row_written() -> None:
    db = Ladybug()
    m = _b2b()
    seen: list[int] = []
    db.write(lambda tx: push(tx, m, batch_size=10, progress=seen.append))
    assert sum(seen) == sum(len(rows) for rows in rows_of(m).values())
    assert max(seen) == 10


def test_a_shared_function_must_agree_with_the_stored_one() -> None:
    db = Ladybug()
    db.load(_b2b())
    other = loads(
        "version: 1\njourney: {id: other}\nstages: [{id: s}]\n"
        "functions:\n  - {id: marketing, name: Growth}\n"
        "touchpoints: [{id: t, stage: s, exit: true, owners: {R: marketing, A: marketing}}]\n",
        "other.yaml",
    )
    with pytest.raises(StoreError) as caught:
        db.load(other)
    message = str(caught.value)
    assert message.startswith("other.yaml:5:5: function 'marketing' is shared with journey(s)")
    assert "name 'Growth' here, 'Marketing leadership' in the database" in message
    assert journeys(db) == ["b2b-saas"]
    # A dry run refuses what the push refuses, with the same words.
    with pytest.raises(StoreError) as planned:
        db.read(lambda tx: plan_push(tx, other))
    assert str(planned.value) == message


def test_maps_pushed_together_must_agree_and_be_distinct() -> None:
    a = _b2b()
    b = load(EXAMPLES / "healthcare-outpatient.yaml")
    check_consistent([a, b])
    with pytest.raises(StoreError, match="given more than once"):
        check_consistent([a, _b2b()])
    c = b.model_copy(deep=True)
    c.functions[-2].department = "experience"
    assert c.functions[-2].id == "marketing"
    with pytest.raises(StoreError, match="department 'experience' here, 'marketing' there"):
        check_consistent([a, c])


def _sharing(journey: str, name: str, function: str = "marketing") -> JourneyMap:
    """A one-touchpoint journey whose only function, ``function``, is named ``name``."""
    return loads(
        f"version: 1\njourney: {{id: {journey}}}\nstages: [{{id: s}}]\n"
        f"functions:\n  - {{id: {function}, name: {name}}}\n"
        "touchpoints: [{id: t, stage: s, exit: true, "
        f"owners: {{R: {function}, A: {function}}}}}]\n",
        f"{journey}.yaml",
    )


def test_a_shared_function_renamed_in_every_map_pushed_together_is_updated() -> None:
    db = Ladybug()
    for journey in ("one", "two"):
        db.load(_sharing(journey, "Marketing"))
    renamed = [_sharing(j, "Growth") for j in ("one", "two")]
    results = [db.write(partial(push, m=m, together={"one", "two"})) for m in renamed]
    assert results[0].shared == [
        "function 'marketing' updated (name 'Growth' here, 'Marketing' before); shared with 'two'"
    ]
    assert results[1].shared == []  # the first push already renamed it
    assert [pull(db, j) for j in ("one", "two")] == renamed


def test_a_shared_function_renamed_in_one_map_needs_update_shared() -> None:
    db = Ladybug()
    for journey in ("one", "two"):
        db.load(_sharing(journey, "Marketing"))
    renamed = _sharing("one", "Growth")
    with pytest.raises(StoreError, match="pass --update-shared to change it for every journey"):
        db.write(lambda tx: push(tx, renamed))
    result = db.write(lambda tx: push(tx, renamed, update_shared=True))
    assert result.shared[0].endswith("shared with 'two'")
    assert pull(db, "two").functions[0].name == "Growth"


def test_shared_functions_and_departments_agree_on_every_field_they_carry() -> None:
    """Two journeys that list the same function (with its FTE and log performers) and the
    same outside firm push one after the other; a different FTE is refused."""
    text = (
        "version: 1\njourney: {{id: {journey}}}\nstages: [{{id: s}}]\n"
        "departments: [{{id: valuers, name: Valuers, external: true}}]\n"
        "functions:\n  - {{id: valuer, name: Valuer, department: valuers, fte: {fte},"
        " log_performers: [Val 1]}}\n"
        "touchpoints: [{{id: t, stage: s, exit: true, owners: {{R: valuer, A: valuer}}}}]\n"
    )
    db = Ladybug()
    db.load(loads(text.format(journey="first", fte=20), "first.yaml"))
    db.load(loads(text.format(journey="second", fte=20), "second.yaml"))
    assert journeys(db) == ["first", "second"]
    with pytest.raises(StoreError, match=re.escape("fte 12.0 here, 20.0 in the database")):
        db.load(loads(text.format(journey="third", fte=12), "third.yaml"))


def _in_department(journey: str, department: str, departments: list[str]) -> JourneyMap:
    """A one-touchpoint journey whose function ``marketing`` is in ``department``."""
    listed = ", ".join(f"{{id: {d}}}" for d in departments)
    return loads(
        f"version: 1\njourney: {{id: {journey}}}\nstages: [{{id: s}}]\n"
        f"departments: [{listed}]\n"
        f"functions:\n  - {{id: marketing, name: Marketing, department: {department}}}\n"
        "touchpoints: [{id: t, stage: s, exit: true, owners: {R: marketing, A: marketing}}]\n",
        f"{journey}.yaml",
    )


def test_update_shared_refuses_a_move_that_leaves_another_journey_invalid() -> None:
    db = Ladybug()
    db.load(_in_department("one", "brand", ["brand", "growth"]))
    db.load(_in_department("two", "brand", ["brand"]))
    moved = _in_department("one", "growth", ["brand", "growth"])
    with pytest.raises(StoreError) as refused:
        db.write(lambda tx: push(tx, moved, update_shared=True))
    message = str(refused.value)
    assert "function 'marketing' would move to department 'growth'" in message
    assert "journey 'two', which shares it, does not list that department" in message
    assert "\n" not in message
    # Nothing changed: both journeys read back as pushed.
    assert pull(db, "two") == _in_department("two", "brand", ["brand"])
    assert pull(db, "one").functions[0].department == "brand"
    # A journey that lists the department may follow the move.
    db.load(_in_department("two", "brand", ["brand", "growth"]))
    db.write(lambda tx: push(tx, moved, update_shared=True))
    assert pull(db, "two").functions[0].department == "growth"


def test_a_journey_left_inconsistent_is_one_line_on_pull() -> None:
    db = Ladybug()
    db.load(_in_department("one", "brand", ["brand", "growth"]))
    db.load(_in_department("two", "brand", ["brand"]))
    # As a push of an earlier release with --update-shared left it.
    db.run("MATCH (:JobFunction {id: 'marketing'})-[r:PART_OF]->() DELETE r", {})
    db.run(
        "MATCH (f:JobFunction {id: 'marketing'}), (d:Department {id: 'growth'}) "
        "CREATE (f)-[:PART_OF]->(d)",
        {},
    )
    with pytest.raises(StoreError) as inconsistent:
        pull(db, "two")
    message = str(inconsistent.value)
    assert message.startswith("journey 'two' in the database is inconsistent (")
    assert "push its map again" in message
    assert "\n" not in message
    assert pull(db, "one").functions[0].department == "growth"


def test_a_push_that_changes_nothing_takes_no_lock_and_writes_nothing() -> None:
    db = Ladybug()
    m = _b2b()
    db.load(m)
    names = {q.text: q.name for q in library.queries("sync")}
    sent: list[str] = []

    class Recording:
        def run(self, query: str, parameters: Mapping[str, Any]) -> list[dict[str, Any]]:
            sent.append(names.get(query, query))
            return db.run(query, parameters)

    result = db.read(lambda tx: push(Recording(), m))
    assert not result.changed
    assert sent
    assert all(name.startswith("sync/read-") for name in sent)
    # A change takes the locks of the journey and of what it lists, once, first of the writes.
    sent.clear()
    db.write(lambda tx: push(Recording(), _edited(m)))
    assert sent.count("sync/lock") == 1
    first_write = next(n for n in sent if not n.startswith(("sync/read-", "sync/foreign-")))
    assert first_write == "sync/lock"
    # Each lock node is deleted as it is made: the lock is the key's, held to the commit.
    assert db.run("MATCH (l:PushLock) RETURN count(l) AS n", {}) == [{"n": 0}]
