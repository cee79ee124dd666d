"""The push locks against a real Neo4j server (tests/neo4j_server.py): held to the
commit, never left behind, and safe when a push and a delete of one journey meet.

Each lock is the key constraint's lock on a key, taken by a MERGE whose node is
deleted at once (``cypher/sync/lock.cypher``): no lock node is ever committed.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from functools import partial
from typing import Any

import pytest

from journeygraph import JourneyMap, load
from journeygraph.exceptions import StoreError
from journeygraph.store.driver import Neo4jStore, Settings, connect
from journeygraph.store.reader import journeys, pull
from journeygraph.store.runner import Runner
from journeygraph.store.staging import push_journey
from journeygraph.store.writer import delete_journey, push
from tests.conftest import EXAMPLES
from tests.store.test_neo4j_server import (  # noqa: F401 (server: a fixture)
    _cli,
    _empty,
    _ours,
    server,
)
from tests.store.test_push import _edited, _sharing

pytestmark = pytest.mark.neo4j

_LOCKS = "MATCH (l:PushLock) RETURN count(l) AS n"


def _locks(server: Neo4jStore) -> int:  # noqa: F811
    (row,) = server.run(_LOCKS, {})
    return int(row["n"])


def _nodes_of(server: Neo4jStore, journey: str) -> int:  # noqa: F811
    """journeygraph's nodes that name ``journey`` (all but the org-wide ones)."""
    (row,) = server.run(
        "MATCH (n) WHERE (n:JourneyGraph OR n:JourneyGraphStaged OR n:JourneyGraphRetired) "
        "AND (n.journey = $j OR n.staged_for = $j OR n.key = ['Journey', $j]) "
        "RETURN count(n) AS n",
        {"j": journey},
    )
    return int(row["n"])


def _journey_nodes(m: JourneyMap) -> int:
    """The nodes a push writes for ``m`` that name its journey (its own node too)."""
    return 1 + len(m.stages) + len(m.touchpoints) + len(m.personas) + len(m.opportunities)


def test_deleting_journeys_leaves_no_lock_and_deleting_every_one_leaves_nothing(
    server: Neo4jStore,  # noqa: F811
) -> None:
    _empty(server)
    one, two = _sharing("one", "Marketing"), _sharing("two", "Marketing")
    for m in (one, two):
        assert server.write(partial(push, m=m)).changed
    # The locks were taken (the functions' and journeys' keys), and none was kept.
    assert _locks(server) == 0
    server.write(partial(delete_journey, journey="one"))
    assert server.read(journeys) == ["two"]
    assert _locks(server) == 0
    assert server.read(partial(pull, journey="two")) == two  # the shared function stays
    server.write(partial(delete_journey, journey="two"))
    assert _ours(server) == 0
    # The same through the CLI: pruned, then deleted; a function and a department
    # that leave a map go too.
    b2b, other = load(EXAMPLES / "b2b-saas.yaml"), EXAMPLES / "helpdesk.yaml"
    code, err = _cli(server, "push", str(EXAMPLES / "b2b-saas.yaml"), str(other))
    assert code == 0, err
    server.write(partial(push, m=_edited(b2b)))
    assert _locks(server) == 0
    code, err = _cli(server, "push", str(EXAMPLES / "b2b-saas.yaml"), "--prune", "--yes")
    assert code == 0, err
    assert server.read(journeys) == ["b2b-saas"]
    code, err = _cli(server, "delete", "b2b-saas", "--yes")
    assert code == 0, err
    assert _ours(server) == 0


def _holding(
    settings: Settings, work: Callable[[Runner], Any], hold: float
) -> tuple[threading.Thread, dict[str, float]]:
    """``work`` in a write transaction of its own, in a thread, kept open ``hold``
    seconds after it ran: the event is set once it has run (its locks taken)."""
    ran, times = threading.Event(), {}

    def run() -> None:
        def held(tx: Runner) -> None:
            work(tx)
            ran.set()
            time.sleep(hold)
            times["committing"] = time.monotonic()

        with connect(settings) as store:
            store.write(held)

    thread = threading.Thread(target=run)
    thread.start()
    assert ran.wait(timeout=60)
    return thread, times


def test_a_push_waits_for_a_delete_of_its_journey_then_writes_it_whole(
    server: Neo4jStore,  # noqa: F811
) -> None:
    _empty(server)
    b2b = load(EXAMPLES / "b2b-saas.yaml")
    server.write(partial(push, m=b2b))
    deleting = partial(delete_journey, journey="b2b-saas")
    thread, times = _holding(server.settings, deleting, hold=2.0)
    # It read the journey as it was, then waited for the delete's locks (its
    # journey's, its functions'), whose nodes the delete never committed.
    result = push_journey(server, _edited(b2b))
    finished = time.monotonic()
    thread.join(timeout=60)
    assert finished > times["committing"]
    assert result.created
    assert server.read(partial(pull, journey="b2b-saas")) == _edited(b2b)
    assert _nodes_of(server, "b2b-saas") == _journey_nodes(_edited(b2b))
    assert _locks(server) == 0


def test_a_delete_waits_for_a_push_of_its_journey_then_deletes_what_it_wrote(
    server: Neo4jStore,  # noqa: F811
) -> None:
    _empty(server)
    b2b = load(EXAMPLES / "b2b-saas.yaml")
    server.write(partial(push, m=_edited(b2b)))
    # The push adds a touchpoint, functions and what hangs off them: the delete
    # read the journey before, and must read it again under the lock.
    thread, times = _holding(server.settings, partial(push, m=b2b), hold=2.0)
    server.write(partial(delete_journey, journey="b2b-saas"))
    finished = time.monotonic()
    thread.join(timeout=60)
    assert finished > times["committing"]
    assert server.read(journeys) == []
    assert _ours(server) == 0


@pytest.mark.parametrize("attempt", range(4))
def test_a_push_and_a_delete_of_one_journey_at_once_end_clearly_and_consistent(
    server: Neo4jStore,  # noqa: F811
    attempt: int,
) -> None:
    _empty(server)
    b2b = load(EXAMPLES / "b2b-saas.yaml")
    # Every other attempt, the journey is there to delete before both start.
    if attempt % 2 == 0:
        server.write(partial(push, m=_edited(b2b)))
    start = threading.Barrier(2)
    outcome: dict[str, object] = {}

    def run(name: str, work: Callable[[Neo4jStore], object]) -> None:
        with connect(server.settings) as store:
            start.wait(timeout=60)
            try:
                outcome[name] = work(store)
            except StoreError as err:  # a clear refusal, in one line
                outcome[name] = err
            except BaseException as err:  # anything else fails the test, below
                outcome[name] = ("unexpected", err)

    def deleting(store: Neo4jStore) -> object:
        return store.write(partial(delete_journey, journey="b2b-saas"))

    threads = [
        threading.Thread(target=run, args=("push", partial(push_journey, m=b2b))),
        threading.Thread(target=run, args=("delete", deleting)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(isinstance(o, tuple) for o in outcome.values()), outcome
    assert not isinstance(outcome["push"], StoreError), outcome
    if isinstance(outcome["delete"], StoreError):
        # It found no journey to delete: the push had not committed when it looked.
        assert "b2b-saas" in str(outcome["delete"])
        assert "\n" not in str(outcome["delete"])
    if "b2b-saas" in server.read(journeys):
        assert server.read(partial(pull, journey="b2b-saas")) == b2b
        assert _nodes_of(server, "b2b-saas") == _journey_nodes(b2b)
    else:
        assert _ours(server) == 0
    assert _locks(server) == 0


def test_migrate_removes_the_lock_nodes_earlier_builds_kept_and_a_push_meets_one(
    server: Neo4jStore,  # noqa: F811
) -> None:
    _empty(server)
    one = _sharing("one", "Marketing")
    server.write(partial(push, m=one))
    # As the builds before kept them: one per journey, function and department
    # pushed, the deleted journey's too.
    for kind, ident in (("journey", "one"), ("function", "marketing"), ("journey", "gone")):
        server.run(
            "CREATE (:PushLock:JourneyGraph {key: ['PushLock', $kind, $id], "
            "id: $kind + ':' + $id, held: true})",
            {"kind": kind, "id": ident},
        )
    # A push that takes such a lock deletes its node too, and works as before.
    server.write(partial(push, m=_sharing("one", "Growth")))
    assert _locks(server) == 1
    code, err = _cli(server, "migrate")
    assert code == 0, err
    assert "removed 1 push-lock node that earlier builds kept" in err
    assert _locks(server) == 0
    code, err = _cli(server, "migrate")
    assert (code, err.strip()) == (
        0,
        "up to date: nothing written by an earlier release to migrate",
    )
    server.write(partial(delete_journey, journey="one"))
    assert _ours(server) == 0
