"""Pushing a journey too large for one transaction: staged in batches, then switched.

A push in one transaction holds every row it writes in the server's
transaction memory: a 50,000-touchpoint journey does not fit a server with a
1 GB heap. Above `STAGE_ABOVE` rows to change, :func:`push_journey` stages
instead:

1. the journey's stages, touchpoints, transitions, roles, scopes, personas,
   opportunities, experiences and handoffs are written whole as a new version,
   in batches of their own transactions, with their own labels and a new
   ``revision`` (`journeygraph.store.revision`): every read meets the revision
   the journey node names, so none sees them. A function journeygraph does
   not hold yet has a stand-in (labelled ``JourneyGraphStaged`` only), which
   the roles and handoffs point to; a mark says the version is being staged.
2. One transaction switches: it takes the push locks of the journey and of
   every function and department it lists, checks the shared functions and
   other applications' ids again, checks the staged version may be switched to
   (its mark there and not doomed, a few lookups), makes the stand-ins
   functions, writes the journey node, its functions and departments as a push
   in one transaction does, and moves the journey's pointer to the new
   revision, relinking the journey to its stages, personas and opportunities.
   Its size does not grow with the journey's.
3. The old version is removed after, outside the switch's locks, in batches
   (`delete_leftovers`), each under the journey's push lock: the stored
   findings' links move to the new version's nodes first, then its nodes go,
   each batch locking its nodes
   before looking for other applications' relationships: a node another
   application has relationships to, whose label and id the new version holds,
   takes the new node's place (so that those relationships keep their
   identity); the others go with their nodes (``PushResult.detached``).

A push that fails or is stopped before the switch leaves the old journey whole
and readable; what it staged is removed by the journey's next push, or by
``neo4j migrate``. One stopped after the switch leaves the new journey whole,
and what is left of the old version to the same. Shared functions change only
in the switch, under the same locks as a push in one transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Collection
from functools import partial
from typing import Any, Final, Protocol, TypeVar

from journeygraph.exceptions import StoreError
from journeygraph.model import JourneyMap
from journeygraph.store import library
from journeygraph.store.reader import held_rows
from journeygraph.store.rows import DELETE_ORDER, Rows, batches, plan, rows_of
from journeygraph.store.runner import DEFAULT_BATCH_SIZE, Runner
from journeygraph.store.writer import (
    PushResult,
    _now,
    _sender,
    _sweep,
    check_foreign,
    check_shared,
    lock,
    own_types,
    plan_push,
    push,
)

__all__ = ["STAGE_ABOVE", "delete_leftovers", "push_journey", "push_staged", "sweep"]

STAGE_ABOVE: Final = 50_000
"""A push that changes more rows than this (all sections together) is staged.

The benchmark journey of 10,000 touchpoints (about 66,000 rows) fits one
transaction on the test server (1 GB heap, 716.8 MiB of transaction memory)
and one of 50,000 does not; a journey's rows are about six per touchpoint, so
with this margin the 10,000-touchpoint journey is staged too (docs/neo4j.md).
"""

T = TypeVar("T")

# Staged in this order: what a relationship joins is staged before it.
_STAGED = (
    "stages",
    "touchpoints",
    "transitions",
    "owners",
    "scopes",
    "personas",
    "opportunities",
    "improvements",
    "experiences",
    "handoffs",
)
# What the switch writes as a push in one transaction does: small, org-wide or
# linked to functions that other journeys share.
_SWITCHED = ("journey", "departments", "functions")


class _Store(Protocol):
    """What a staged push needs: read and write transactions, one after another."""

    def write(self, work: Callable[[Runner], T]) -> T: ...

    def read(self, work: Callable[[Runner], T]) -> T: ...


def push_journey(
    store: _Store,
    m: JourneyMap,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    together: Collection[str] = (),
    update_shared: bool = False,
    started: Callable[[], None] | None = None,
    progress: Callable[[int], None] | None = None,
) -> PushResult:
    """Make ``store`` mirror ``m``: in one write transaction, or staged when the
    push changes more than `STAGE_ABOVE` rows (:func:`push_staged`).

    What the journey's earlier staged pushes left is removed first. ``started``
    is called as each try begins: a retried transaction sends every row again,
    so a progress count starts again with it.
    """
    journey = m.journey.id
    # What an earlier push of the journey left (a staged version, or an old version
    # whose removal was stopped): its other applications' relationships go now.
    detached = delete_leftovers(store, journey, batch_size=batch_size)[2]
    limit = STAGE_ABOVE  # read at each call, so that a test may lower it
    if sum(map(len, rows_of(m).values())) > limit:
        check = partial(plan_push, m=m, together=together, update_shared=update_shared)
        changes, created = store.read(check)
        if changes.empty:
            return PushResult(journey, created, detached=detached)
        if changes.count() > limit:
            if started is not None:
                started()
            result = push_staged(
                store,
                m,
                batch_size=batch_size,
                together=together,
                update_shared=update_shared,
                progress=progress,
            )
            result.detached += detached
            return result

    def work(tx: Runner) -> PushResult:
        if started is not None:
            started()
        return push(
            tx,
            m,
            batch_size=batch_size,
            progress=progress,
            together=together,
            update_shared=update_shared,
        )

    result = store.write(work)
    result.detached += detached
    return result


def push_staged(
    store: _Store,
    m: JourneyMap,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    together: Collection[str] = (),
    update_shared: bool = False,
    progress: Callable[[int], None] | None = None,
) -> PushResult:
    """Push ``m`` as a staged version, then switch to it in one transaction.

    ``progress`` is called with the number of rows of each batch once it is
    written. Should anything fail before the switch, the old journey is as it
    was; what was staged is removed by the next push (or ``neo4j migrate``).

    Raises
    ------
    StoreError
        What a push in one transaction raises, or that another push of the
        journey ran meanwhile (push again).
    """
    journey, token = m.journey.id, uuid.uuid4().hex
    desired = rows_of(m)
    statements = _stage(store, journey, token, desired, batch_size, progress)
    switch = partial(
        _switch,
        m=m,
        token=token,
        desired=desired,
        together=together,
        update_shared=update_shared,
        batch_size=batch_size,
    )
    result = store.write(switch)
    # The old version goes after the switch, outside its locks; stopped midway,
    # the new version is whole, and the next push of the journey (or `neo4j
    # migrate`) removes the rest.
    _, sent, detached = delete_leftovers(store, journey, batch_size=batch_size)
    result.statements += statements + sent
    result.detached += detached
    return result


def _stage(
    store: _Store,
    journey: str,
    token: str,
    desired: Rows,
    batch_size: int,
    progress: Callable[[int], None] | None,
) -> int:
    """Write ``desired`` as the version ``token``, a batch per transaction; the
    number of statements sent."""
    mark = library.query("sync/stage-revision").text
    store.write(partial(_run, query=mark, parameters={"journey": journey, "revision": token}))
    sent = 1
    for section in ("functions", *_STAGED):
        q = library.query(f"sync/stage-{section}")
        rows = desired[section]
        if section == "functions":
            rows = [{"id": r["id"]} for r in rows]
        for batch in batches(rows, batch_size):
            given = {"journey": journey, "revision": token, "rows": batch}
            store.write(partial(_run, query=q.text, parameters=given))
            sent += 1
            if progress is not None:
                progress(len(batch))
    return sent


def _run(tx: Runner, *, query: str, parameters: dict[str, Any]) -> list[dict[str, Any]]:
    return tx.run(query, parameters)


def _remove(
    tx: Runner, *, journey: str, query: str, parameters: dict[str, Any]
) -> list[dict[str, Any]]:
    """One batch of what no read meets, removed under the journey's push lock, so that
    no switch moves its pointer meanwhile (a name of its own, to be timed apart); the
    nodes it keeps (another application's relationships on them) take the place of
    the current version's of the same label and id."""
    lock(tx, journey, {}, {})
    revisions = parameters.get("revisions")
    if revisions:
        doom = library.query("sync/doom-staged").text
        tx.run(doom, {"journey": journey, "revisions": revisions})
    done = tx.run(query, parameters)
    keep = library.query("sync/keep-attached").text
    for key in (done[0].get("kept") or []) if done else []:
        tx.run(keep, {"journey": journey, "key": key, "own": parameters["own"]})
    return done


def _switch(
    tx: Runner,
    *,
    m: JourneyMap,
    token: str,
    desired: Rows,
    together: Collection[str],
    update_shared: bool,
    batch_size: int,
) -> PushResult:
    """Make the staged version ``token`` the journey's, in one transaction.

    It moves the journey's pointer (its ``revision``) and writes what is org-wide
    (the journey node, its functions and departments): its size does not grow
    with the journey's. The old version is removed after it, outside its locks
    (`delete_leftovers`).
    """
    journey = m.journey.id
    current = _current_switched(tx, journey)
    held = lock(tx, journey, current, desired)
    shared = check_shared(tx, m, together=together, update_shared=update_shared)
    check_foreign(tx, m)
    # Read again under the lock: a push or delete of the journey that held it has
    # committed by now.
    current = _current_switched(tx, journey)
    lock(tx, journey, current, desired, held=held)
    _check_whole(tx, journey, token, desired, current)
    result = PushResult(journey, created=not current, shared=shared, staged=True)
    send = _sender(tx, journey, result, batch_size, None)
    tx.run(library.query("sync/promote-staged").text, {"revision": token})
    changes = plan(current, {s: desired[s] for s in _SWITCHED})
    for section in _SWITCHED:
        send(f"upsert-{section}", changes.upserts[section])
    given = {"journey": journey, "revision": token}
    tx.run(library.query("sync/point-journey").text, given)
    linked = [
        _key(label, journey, row, token) for label, section in _LINKED for row in desired[section]
    ]
    tx.run(library.query("sync/link-promoted").text, {"journey": journey, "keys": linked})
    for section in DELETE_ORDER:
        if section in _SWITCHED:
            send(f"delete-{section}", changes.deletes[section])
    if changes.deletes["functions"] or changes.deletes["departments"]:
        _sweep(tx, result, changes.deletes)
    tx.run(library.query("sync/stamp-journey").text, {"journey": journey, "pushed_at": _now()})
    result.statements += 5
    result.written = {s: len(rows) for s, rows in desired.items()}
    result.deleted = {s: len(rows) for s, rows in changes.deletes.items()}
    return result


# The nodes the journey links to (HAS_STAGE, HAS_PERSONA, HAS_OPPORTUNITY), by label.
_LINKED = (("Stage", "stages"), ("Persona", "personas"), ("Opportunity", "opportunities"))


def _key(label: str, journey: str, row: dict[str, Any], revision: str) -> list[str]:
    return [label, journey, row["id"], revision]


def _current_switched(tx: Runner, journey: str) -> Rows:
    """What the database holds of the sections the switch writes (none for a new journey)."""
    return held_rows(tx, journey, sections=_SWITCHED) or {}


def _check_whole(tx: Runner, journey: str, token: str, desired: Rows, current: Rows) -> None:
    """Refuse to switch to a staged version whose removal another push of the journey
    has begun, whose stand-ins another push has made functions meanwhile, or whose
    roles point at a function another push has deleted meanwhile.

    A few lookups, whatever the journey's size: another push of the journey dooms
    the version's mark before it removes any of it (`delete_leftovers`), under the
    push lock this switch holds.
    """
    listed = {row["id"] for row in current.get("functions", ())}
    used = sorted({row["id"] for row in desired["functions"]} - listed)
    q = library.query("sync/read-staged")
    (found,) = tx.run(q.text, {"journey": journey, "revision": token, "functions": used})
    taken, gone = sorted(found["taken"] or []), sorted(found["gone"] or [])
    if not found["whole"] or taken or gone:
        why = (
            f"function {taken[0]!r} was created by another push meanwhile"
            if taken
            else f"function {gone[0]!r} was deleted by another push meanwhile"
            if gone
            else "another push of the journey removed what it staged"
        )
        raise StoreError(
            f"journey {journey!r} was not switched to its staged version: {why}; the journey "
            "is as it was, push again"
        )


def delete_leftovers(
    store: _Store, journey: str, *, token: str = "", batch_size: int = DEFAULT_BATCH_SIZE
) -> tuple[int, int, int]:
    """Remove the versions of the journey no read meets (but the staged version
    ``token``), a batch per transaction: the nodes removed, the statements sent, and
    how many relationships of other applications' went with them.

    Reads first, so that a journey with nothing left writes nothing; a node of a
    removed version that another application has relationships to takes the place
    of the current version's node of its label and id (`sync/keep-attached`).
    Stopped midway, it leaves the journey as it is: what is left, no read sees,
    and the journey's next push removes it.
    """
    own = list(own_types())
    q = library.query("sync/read-leftovers")
    (row,) = store.read(lambda tx: tx.run(q.text, {"journey": journey}))
    revisions = sorted(set(row["revisions"]) - {token})
    if not revisions and not row["earlier"]:
        return 0, 1, 0
    given: dict[str, Any] = {"journey": journey, "token": token, "limit": batch_size}
    given |= {"revisions": revisions, "own": own}
    deleted, sent, foreign = 0, 1, 0
    # The stored findings' links first (`sync/relink-findings`), while the nodes they
    # point at are still there: batched here, not in the switch, whose size would
    # grow with them.
    q = library.query("sync/relink-findings")
    parameters = {k: given[k] for k in q.parameters if k in given}
    relink = partial(_remove, journey=journey, query=q.text, parameters=parameters)
    while True:
        (done,) = store.write(relink)
        sent += 1
        if not done["moved"]:
            break
    for name in ("sync/delete-leftovers", "sync/delete-old-handoffs"):
        q = library.query(name)
        parameters = {k: given[k] for k in q.parameters if k in given}
        while True:
            (done,) = store.write(
                partial(_remove, journey=journey, query=q.text, parameters=parameters)
            )
            sent += 1 + len(done.get("kept") or ())
            if not done["deleted"] and not done.get("kept"):
                break
            deleted += int(done["deleted"])
            foreign += int(done.get("foreign") or 0)
    q = library.query("sync/forget-leftovers")
    parameters = {"journey": journey, "revisions": revisions, "token": token}
    store.write(partial(_remove, journey=journey, query=q.text, parameters=parameters))
    return deleted, sent + 1, foreign


def sweep(store: _Store, *, batch_size: int = DEFAULT_BATCH_SIZE) -> int:
    """Remove what the staged pushes of every journey left, a batch per transaction
    (``neo4j migrate``); the number of nodes removed.

    A staged push of any journey running meanwhile loses what it staged: its
    switch refuses, and says to push again.
    """
    q = library.query("migrate/leftover-journeys")
    journeys = [row["journey"] for row in store.read(partial(_run, query=q.text, parameters={}))]
    deleted = sum(
        delete_leftovers(store, journey, batch_size=batch_size)[0] for journey in journeys
    )
    q = library.query("migrate/delete-leftovers")
    while True:
        (done,) = store.write(partial(_run, query=q.text, parameters={"limit": batch_size}))
        deleted += int(done["deleted"])
        if not done["deleted"]:
            return deleted
