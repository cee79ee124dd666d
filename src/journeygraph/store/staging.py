"""Pushing a journey too large for one transaction: staged in batches, then switched.

A push in one transaction holds every row it writes in the server's
transaction memory: a 50,000-touchpoint journey does not fit a server with a
1 GB heap. Above `STAGE_ABOVE` rows to change, :func:`push_journey` stages
instead:

1. the journey's stages, touchpoints, transitions, roles, scopes, personas,
   opportunities and experiences are written whole as a new version, in
   batches of their own transactions, as nodes labelled ``JourneyGraphStaged``
   only (`journeygraph.store.schema.STAGED`): no read, pull, audit or shipped
   query names that label, so none sees them. A function journeygraph does not
   hold yet has a stand-in there, which the roles point to.
2. One transaction switches: it takes the push locks of the journey and of
   every function and department it lists, checks the shared functions and
   other applications' ids again, checks the staged version is whole, takes
   the old version out of every read (label ``JourneyGraphRetired``), gives
   the staged nodes their labels, and writes the journey node, its functions,
   departments and handoffs, as a push in one transaction does. It changes
   labels, not properties or relationships, of the journey's nodes, but for
   those another application has relationships to (`_attached`): such a node,
   if the new version holds its key, is kept in place of the staged one (which
   gives it its properties and journeygraph's relationships), so that the other
   application's relationships keep their identity; one that left the map goes
   with them, counted (``PushResult.detached``).
3. The old version is removed after, in batches.

A push that fails or is stopped before the switch leaves the old journey whole
and readable; what it staged is removed by the journey's next push, or by
``neo4j migrate``. Shared functions change only in the switch, under the same
locks as a push in one transaction.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable, Collection
from functools import partial
from typing import Any, Final, Protocol, TypeVar

from journeygraph.exceptions import StoreError
from journeygraph.model import JourneyMap
from journeygraph.store import library
from journeygraph.store.reader import read_rows
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

The benchmark journey of 10,000 touchpoints (about 66,000 rows) is pushed in
one transaction on the test server (1 GB heap, 716.8 MiB of transaction
memory) and one of 50,000 is not; a journey's rows are about six per touchpoint.
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
)
# The nodes of a staged version, by the label the switch gives them.
_NODES = {"Stage": "stages", "Touchpoint": "touchpoints", "Persona": "personas"}
_NODES |= {"Opportunity": "opportunities"}
# What the switch writes as a push in one transaction does: small, org-wide or
# linked to functions that other journeys share.
_SWITCHED = ("journey", "departments", "functions", "handoffs")


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
    delete_leftovers(store, journey, batch_size=batch_size)
    limit = STAGE_ABOVE  # read at each call, so that a test may lower it
    if sum(map(len, rows_of(m).values())) > limit:
        check = partial(plan_push, m=m, together=together, update_shared=update_shared)
        changes, created = store.read(check)
        if changes.empty:
            return PushResult(journey, created)
        if changes.count() > limit:
            if started is not None:
                started()
            return push_staged(
                store,
                m,
                batch_size=batch_size,
                together=together,
                update_shared=update_shared,
                progress=progress,
            )

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

    return store.write(work)


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
    result.statements += statements
    result.statements += delete_leftovers(store, journey, batch_size=batch_size)[1]
    return result


def _stage(
    store: _Store,
    journey: str,
    token: str,
    desired: Rows,
    batch_size: int,
    progress: Callable[[int], None] | None,
) -> int:
    """Write ``desired`` as the staged version ``token``, a batch per transaction;
    the number of statements sent."""
    sent = 0
    for section in ("functions", *_STAGED):
        q = library.query(f"sync/stage-{section}")
        rows = desired[section]
        if section == "functions":
            rows = [{"id": r["id"]} for r in rows]
        for batch in batches(rows, batch_size):
            given = {"journey": journey, "token": token, "rows": batch}
            store.write(partial(_run, query=q.text, parameters=given))
            sent += 1
            if progress is not None:
                progress(len(batch))
    return sent


def _run(tx: Runner, *, query: str, parameters: dict[str, Any]) -> list[dict[str, Any]]:
    return tx.run(query, parameters)


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
    """Make the staged version ``token`` the journey's, in one transaction."""
    journey = m.journey.id
    current = _current_switched(tx, journey)
    lock(tx, journey, current, desired)
    shared = check_shared(tx, m, together=together, update_shared=update_shared)
    check_foreign(tx, m)
    _check_whole(tx, journey, token, desired)
    current = _current_switched(tx, journey)
    result = PushResult(journey, created=not current, shared=shared, staged=True)
    send = _sender(tx, journey, result, batch_size, None)
    kept, result.detached = _attached(tx, journey, token)
    if kept:
        tx.run(library.query("sync/unlink-kept").text, {"keys": kept})
    tx.run(library.query("sync/retire-journey").text, {"journey": journey, "kept": kept})
    if kept:
        for name in ("relink-kept", "keep-attached"):
            tx.run(library.query(f"sync/{name}").text, {"token": token, "keys": kept})
    tx.run(library.query("sync/promote-staged").text, {"token": token})
    changes = plan(current, {s: desired[s] for s in _SWITCHED})
    for section in ("journey", "departments", "functions"):
        send(f"upsert-{section}", changes.upserts[section])
    for name in ("link-promoted", "relink-findings"):
        tx.run(library.query(f"sync/{name}").text, {"journey": journey})
    for section in DELETE_ORDER:
        if section in _SWITCHED:
            send(f"delete-{section}", changes.deletes[section])
    send("upsert-handoffs", changes.upserts["handoffs"])
    if changes.deletes["functions"] or changes.deletes["departments"]:
        _sweep(tx, result, changes.deletes)
    tx.run(library.query("sync/stamp-journey").text, {"journey": journey, "pushed_at": _now()})
    result.statements += 6
    result.written = {s: len(rows) for s, rows in desired.items()}
    result.deleted = {s: len(rows) for s, rows in changes.deletes.items()}
    return result


def _attached(tx: Runner, journey: str, token: str) -> tuple[list[list[str]], int]:
    """The keys of the journey's nodes that another application has relationships
    to and that the staged version ``token`` holds too (the switch keeps them), and
    how many such relationships the nodes that left the map have (they go)."""
    q = library.query("sync/read-attached")
    rows = tx.run(q.text, {"journey": journey, "token": token, "own": list(own_types())})
    kept = sorted(row["key"] for row in rows if row["kept"])
    return kept, sum(int(row["foreign"]) for row in rows if not row["kept"])


def _current_switched(tx: Runner, journey: str) -> Rows:
    """What the database holds of the sections the switch writes (none for a new journey)."""
    try:
        held = read_rows(tx, journey, sections=_SWITCHED)
    except StoreError:
        return {}
    return held


def _check_whole(tx: Runner, journey: str, token: str, desired: Rows) -> None:
    """Refuse to switch to a staged version that is not whole, or whose stand-ins
    another push has made functions meanwhile."""
    q = library.query("sync/read-staged")
    found = {row["label"]: row for row in tx.run(q.text, {"token": token})}
    wanted = Counter({label: len(desired[section]) for label, section in _NODES.items()})
    # Roles and owners too: one on a function another push deleted meanwhile is gone.
    wanted["OWNS"] = len(desired["owners"])
    wanted["OWNED_BY"] = sum(1 for row in desired["opportunities"] if row["owner"] is not None)
    held = Counter({label: int(row["nodes"]) for label, row in found.items() if label in wanted})
    taken = sorted(found.get("JobFunction", {}).get("taken") or [])
    if held != +wanted or taken:
        why = (
            f"function {taken[0]!r} was created by another push meanwhile"
            if taken
            else "part of what it staged was removed by another push of the journey"
        )
        raise StoreError(
            f"journey {journey!r} was not switched to its staged version: {why}; the journey "
            "is as it was, push again"
        )


def delete_leftovers(
    store: _Store, journey: str, *, token: str = "", batch_size: int = DEFAULT_BATCH_SIZE
) -> tuple[int, int]:
    """Remove what the journey's staged pushes left (but the version ``token``),
    a batch per transaction: the nodes removed and the statements sent.

    Reads first, so that a journey with nothing left writes nothing.
    """
    (row,) = store.read(
        lambda tx: tx.run(library.query("sync/read-leftovers").text, {"journey": journey})
    )
    if not row["staged"] and not row["retired"]:
        return 0, 1
    q = library.query("sync/delete-leftovers")
    given: dict[str, Any] = {"journey": journey, "token": token, "limit": batch_size}
    deleted, sent = 0, 1
    while True:
        (done,) = store.write(lambda tx: tx.run(q.text, given))
        sent += 1
        deleted += int(done["deleted"])
        if not done["deleted"]:
            return deleted, sent


def sweep(store: _Store, *, batch_size: int = DEFAULT_BATCH_SIZE) -> int:
    """Remove what the staged pushes of every journey left, a batch per transaction
    (``neo4j migrate``); the number of nodes removed.

    A staged push of any journey running meanwhile loses what it staged: its
    switch refuses, and says to push again.
    """
    q = library.query("migrate/delete-leftovers")
    deleted = 0
    while True:
        (done,) = store.write(partial(_run, query=q.text, parameters={"limit": batch_size}))
        deleted += int(done["deleted"])
        if not done["deleted"]:
            return deleted
