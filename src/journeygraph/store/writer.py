"""Writing maps to the graph database so that it mirrors them exactly.

`push` reads what the database holds for the journey, compares it with the
map (`journeygraph.store.rows.plan`) and sends only the differences, as
batched ``UNWIND $rows`` statements: pushing the same map twice writes
nothing, and what left the map leaves the database, within that journey only.
The caller runs it inside one transaction, so a failure leaves the previous
state intact; a push too large for one transaction is staged, then switched
to (`journeygraph.store.staging`, which also holds `push_journey`, the choice).

Every node it writes carries the label ``JourneyGraph`` and a ``key``, and every
statement names that label: in a database other applications share, their
nodes under the same labels and ids are never adopted, read or deleted, and an
id one of them holds for a journey, function or department is refused before
anything is written (`check_foreign`). A push that changes nothing takes no
lock and writes nothing; one that does locks its journey and the functions and
departments it lists (`lock`), so that only pushes sharing them wait.
"""

from __future__ import annotations

import datetime as _dt
from collections import Counter
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from journeygraph.exceptions import StoreError
from journeygraph.model import JourneyMap
from journeygraph.store import library
from journeygraph.store.reader import held_rows, read_rows
from journeygraph.store.revision import new_revision
from journeygraph.store.rows import (
    DELETE_ORDER,
    UPSERT_ORDER,
    Plan,
    Row,
    Rows,
    batches,
    plan,
    rows_of,
)
from journeygraph.store.runner import DEFAULT_BATCH_SIZE, Runner

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "PushResult",
    "check_consistent",
    "check_foreign",
    "check_shared",
    "delete_journey",
    "detached",
    "ensure_schema",
    "lock",
    "own_types",
    "plan_push",
    "push",
]

# The journey first: the stages, functions and departments are linked from it.
_NODES_FIRST = ("journey", "departments", "functions", "stages", "touchpoints")
# The rest (relationships, and the customer layer that hangs off touchpoints)
# after the deletions, so that a renamed key never meets its old row.
_RELATIONSHIPS_AFTER = tuple(s for s in UPSERT_ORDER if s not in _NODES_FIRST)


@dataclass
class PushResult:
    """What one push changed.

    Attributes
    ----------
    journey
        The journey id.
    created
        True when the database did not hold the journey before.
    written, deleted
        Rows upserted and deleted, per section.
    statements
        How many statements of data were sent (a few per batch, not per row); the
        statement that takes the push lock is not counted.
    """

    journey: str
    created: bool
    written: dict[str, int] = field(default_factory=dict)
    deleted: dict[str, int] = field(default_factory=dict)
    statements: int = 0
    shared: list[str] = field(default_factory=list)
    """Functions and departments other journeys share that the push changed."""
    staged: bool = False
    """True when the journey was written whole as a staged version, then switched to
    (`journeygraph.store.staging`): ``written`` counts every row of it."""
    detached: int = 0
    """Other applications' relationships removed with the nodes of journeygraph's
    that left the map (or the deleted journey's): Neo4j removes a node with its
    relationships. Those on a node that stays are never removed."""

    @property
    def changed(self) -> bool:
        """True when the push changed anything."""
        return any(self.written.values()) or any(self.deleted.values())


class _Schema(Protocol):
    """What `ensure_schema` needs: to run work in one transaction, and one statement alone."""

    def write(self, work: Callable[[Runner], int]) -> int: ...

    def run(self, query: str, parameters: Mapping[str, Any]) -> list[dict[str, Any]]: ...


def ensure_schema(store: _Schema) -> int:
    """Create the constraints and indexes of ``cypher/schema.cypher`` (``IF NOT EXISTS``),
    all in one transaction: the schema is created whole, or not at all.

    Returns the number of statements run.

    Raises
    ------
    StoreError
        When Neo4j refuses: naming the nodes that break the constraint if that is
        why, and saying that ``--no-schema`` pushes without it.
    """
    parts = library.statements(library.query("schema").text)

    def create(tx: Runner) -> int:
        for statement in parts:
            tx.run(statement, {})
        return len(parts)

    try:
        return store.write(create)
    except StoreError as e:
        raise StoreError(_schema_refused(store, e)) from e


def _schema_refused(store: _Schema, error: StoreError) -> str:
    why = "no constraint or index was created"
    try:
        clashes = store.run(library.query("sync/read-key-clashes").text, {})
    except StoreError:
        clashes = []
    if clashes:
        shown = "; ".join(
            f"{len(c['nodes'])} nodes (:{c['label']} {{key: {c['key']!r}}})" for c in clashes[:3]
        )
        return (
            f"cannot create journeygraph's schema: its nodes break its key constraint ({shown}); "
            f"{why}: remove the duplicates, or push with --no-schema to push without the schema"
        )
    return (
        f"cannot create journeygraph's schema ({error}); {why}: push with --no-schema "
        "to push without it (for a role that may not create schema)"
    )


def check_consistent(maps: Sequence[JourneyMap]) -> None:
    """Refuse maps pushed together that disagree on a shared function or department.

    Raises
    ------
    StoreError
        Naming the entity, both maps (with places when known) and what differs.

    Examples
    --------
    >>> from journeygraph.testing import tiny_map
    >>> a, b = tiny_map(), tiny_map()
    >>> b.journey.id = "other"
    >>> b.functions[0].name = "Someone else"
    >>> check_consistent([a, b])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    journeygraph.exceptions.StoreError: function 'marketing' differs between journeys 'tiny' ...
    """
    seen: dict[tuple[str, str], tuple[JourneyMap, Row]] = {}
    twice = sorted(j for j, n in Counter(m.journey.id for m in maps).items() if n > 1)
    if twice:
        files = [str(m.source.file) for m in maps if m.journey.id == twice[0] and m.source]
        raise StoreError(
            f"journey {twice[0]!r} is given more than once ({', '.join(files) or 'same id'}): "
            "push one map per journey id"
        )
    for m in maps:
        rows = rows_of(m)
        for section, kind in (("departments", "department"), ("functions", "function")):
            for index, row in enumerate(rows[section]):
                first = seen.setdefault((kind, row["id"]), (m, row))
                fields = _disagreeing(row, first[1])
                if fields:
                    raise StoreError(
                        f"{_where(m, section, index)}{kind} {row['id']!r} differs between "
                        f"journeys {first[0].journey.id!r} and {m.journey.id!r} "
                        f"({_differences(fields, row, first[1], 'there')}): {kind}s are "
                        f"org-wide, merged by id; give it the same {', '.join(fields)} in "
                        "every map, or a different id in one of them"
                    )


def _where(m: JourneyMap, section: str, index: int) -> str:
    return f"{m.source.locate((section, index))}: " if m.source is not None else ""


def _differences(fields: list[str], mine: Row, theirs: Row, there: str) -> str:
    return "; ".join(f"{k} {mine[k]!r} here, {theirs.get(k)!r} {there}" for k in fields)


def check_shared(
    runner: Runner,
    m: JourneyMap,
    *,
    together: Collection[str] = (),
    update_shared: bool = False,
) -> list[str]:
    """Refuse a map that would change a function or department other journeys list.

    Functions and departments are org-wide, merged by id: if a push could
    rename one, or move a function to another department, the journeys that
    share it would no longer read back as their files say. The change is
    allowed when every journey that shares it is pushed ``together`` with
    ``m`` (their maps agree: :func:`check_consistent`), or with
    ``update_shared``; then the changes are returned, each naming the journeys
    it changes too.

    Raises
    ------
    StoreError
        Naming the first differing entity (with its place in the map file when
        known), what is stored, the journeys that list it, and what to do.
    """
    desired = rows_of(m)
    updates: list[str] = []
    for section, kind in (("departments", "department"), ("functions", "function")):
        wanted = {r["id"]: (i, r) for i, r in enumerate(desired[section])}
        if not wanted:
            continue
        q = library.query(f"sync/read-shared-{section}")
        stored = runner.run(q.text, {"journey": m.journey.id, "ids": sorted(wanted)})
        for row in sorted(stored, key=lambda r: wanted[r["id"]][0]):
            index, mine = wanted[row["id"]]
            fields = _disagreeing(mine, row)
            if not fields:
                continue
            others = ", ".join(repr(j) for j in sorted(row["journeys"]))
            if update_shared and "department" in fields and mine["department"] is not None:
                _check_moved(runner, m, index, mine, row, together)
            if update_shared or set(row["journeys"]) <= set(together):
                updates.append(
                    f"{kind} {row['id']!r} updated ({_differences(fields, mine, row, 'before')}); "
                    f"shared with {others}"
                )
                continue
            raise StoreError(
                f"{_where(m, section, index)}{kind} {row['id']!r} is shared with journey(s) "
                f"{others} and differs ({_differences(fields, mine, row, 'in the database')}): "
                f"{kind}s are org-wide, merged by id; give it the same {', '.join(fields)} in "
                "every map (and push them together), or a different id in this one, or "
                "pass --update-shared to change it for every journey"
            )
    return updates


def _check_moved(
    runner: Runner, m: JourneyMap, index: int, mine: Row, stored: Row, together: Collection[str]
) -> None:
    """Refuse to move a shared function to a department a journey sharing it does not list.

    Such a journey would no longer be a valid map: its pull and audit would fail.
    Journeys pushed ``together`` are checked against their own maps instead.
    """
    others = sorted(set(stored["journeys"]) - set(together))
    q = library.query("sync/read-journey-departments")
    for row in runner.run(q.text, {"journeys": others}):
        if mine["department"] not in row["departments"]:
            raise StoreError(
                f"{_where(m, 'functions', index)}function {mine['id']!r} would move to "
                f"department {mine['department']!r} for every journey (--update-shared), but "
                f"journey {row['journey']!r}, which shares it, does not list that department: "
                f"{row['journey']!r} would no longer be a valid map; add department "
                f"{mine['department']!r} to its map and push both together, or give the "
                "function a different id in this one"
            )


def _disagreeing(mine: Row, theirs: Row) -> list[str]:
    """The shared fields of an org-wide row that differ: not its ``position``,
    which is its place in one journey's list."""
    return [k for k in mine if k != "position" and (theirs.get(k) or None) != (mine[k] or None)]


def plan_push(
    runner: Runner,
    m: JourneyMap,
    *,
    together: Collection[str] = (),
    update_shared: bool = False,
) -> tuple[Plan, bool]:
    """The changes a push of ``m`` would make, and whether the journey is new.

    Raises the errors :func:`push` would (a shared function that disagrees, an
    id another application's node holds, say), so that a dry run refuses what
    the push would refuse.
    """
    current, created = _current(runner, m.journey.id)
    changes = plan(current, rows_of(m))
    if not changes.empty:
        check_shared(runner, m, together=together, update_shared=update_shared)
        check_foreign(runner, m)
    return changes, created


def _current(runner: Runner, journey: str) -> tuple[Rows, bool]:
    """What the database holds for ``journey``, and whether it holds nothing (a new journey)."""
    rows = held_rows(runner, journey)
    return ({}, True) if rows is None else (rows, False)


def check_foreign(runner: Runner, m: JourneyMap) -> None:
    """Refuse a map that would give journeygraph a node another application holds.

    Journeys, functions and departments are named by id across the database: a
    node of another application with the same label and id (not labelled
    ``JourneyGraph``) is never taken over; the push stops before it writes.

    Raises
    ------
    StoreError
        Naming the first such node (label, id, who it says owns it) and what to do.
    """
    from journeygraph.store.schema import NODES

    rows = {**rows_of(m), "journeys": [{"id": m.journey.id}]}
    for section, label, kind in _FOREIGN:
        ids = [r["id"] for r in rows[section]]
        # What journeygraph writes on the label: a node with anything else is not
        # one an earlier release wrote (as `neo4j migrate` tells them apart).
        written = [k for k in NODES[label] if k != "key"]
        q = library.query(f"sync/foreign-{section}")
        found = runner.run(q.text, {"ids": ids, "properties": written}) if ids else []
        if found:
            node = found[0]
            index = ids.index(node["id"])
            where = _where(m, section, index) if section != "journeys" else ""
            raise StoreError(where + _foreign(label, kind, node, len(found) - 1))


def _foreign(label: str, kind: str, node: Row, more: int) -> str:
    named = f"(:{label} {{id: {node['id']!r}}})"
    if node["earlier"]:
        return (
            f"{kind} {node['id']!r} is in the database as {named}, written by an earlier "
            "release of journeygraph, without the JourneyGraph label it now gives its "
            "nodes: run `journeygraph neo4j migrate` once, then push again"
        )
    owner = f"managed_by {node['owner']!r}" if node["owner"] else "not labelled JourneyGraph"
    if node["owner"] == "journeygraph":
        # Marked by an earlier release, which took over other applications' nodes of
        # its ids, but not as it wrote its own (`neo4j migrate` leaves it alone).
        owner += ", not as journeygraph writes its own"
    others = f" (and {more} more {kind} id{'s' if more > 1 else ''})" if more else ""
    return (
        f"{kind} {node['id']!r} is another application's: the database holds {named} "
        f"({owner}){others}, and journeygraph never takes over a node it did not create; "
        f"give the {kind} another id in the map, nothing was written"
    )


_FOREIGN = (
    ("journeys", "Journey", "journey"),
    ("departments", "Department", "department"),
    ("functions", "JobFunction", "function"),
)


def push(
    runner: Runner,
    m: JourneyMap,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Callable[[int], None] | None = None,
    together: Collection[str] = (),
    update_shared: bool = False,
) -> PushResult:
    """Make the database mirror ``m``; call it inside one write transaction.

    Parameters
    ----------
    runner
        Runs Cypher inside the caller's transaction.
    m
        The map.
    batch_size
        Rows per ``UNWIND $rows`` statement.
    progress
        Called with the number of rows of each batch sent.
    together, update_shared
        When a shared function or department may change: see :func:`check_shared`.

    Returns
    -------
    PushResult
    """
    journey = m.journey.id
    desired = rows_of(m)
    current, created = _current(runner, journey)
    if plan(current, desired).empty:
        # Nothing to change: no lock taken, nothing written (a read-only database
        # answers such a push too).
        return PushResult(journey, created)
    # Then the locks: a concurrent push of a shared function waits for this one,
    # then sees what it wrote (read committed would let both pass their checks).
    held = lock(runner, journey, current, desired)
    shared = check_shared(runner, m, together=together, update_shared=update_shared)
    check_foreign(runner, m)
    # Read again under the lock: a push or delete of the journey that held it has
    # committed by now.
    current, created = _current(runner, journey)
    lock(runner, journey, current, desired, held=held)
    changes = plan(current, desired)
    result = PushResult(journey, created, shared=shared)
    result.detached = detached(runner, journey, changes.deletes)
    send = _sender(runner, journey, result, batch_size, progress)
    for section in _NODES_FIRST:
        send(f"upsert-{section}", changes.upserts[section])
    for section in DELETE_ORDER:
        send(f"delete-{section}", changes.deletes[section])
    for section in _RELATIONSHIPS_AFTER:
        send(f"upsert-{section}", changes.upserts[section])
    if changes.deletes["functions"] or changes.deletes["departments"]:
        # The journey let go of some: drop the org-wide ones no journey lists any more.
        _sweep(runner, result, changes.deletes)
    if not changes.empty:
        stamp = library.query("sync/stamp-journey").text
        runner.run(stamp, {"journey": journey, "pushed_at": _now()})
        result.statements += 1
    result.written = {s: len(rows) for s, rows in changes.upserts.items()}
    result.deleted = {s: len(rows) for s, rows in changes.deletes.items()}
    return result


def _now() -> str:
    """The time of a push, as `neo4j list` shows it: ISO 8601 in UTC, to the second."""
    return _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def delete_journey(
    runner: Runner, journey: str, *, batch_size: int = DEFAULT_BATCH_SIZE
) -> PushResult:
    """Remove ``journey`` and what only it used; call it inside one write transaction.

    Its stages, touchpoints, transitions, roles and handoffs go, then the
    journey, then the functions and departments journeygraph wrote that no
    other journey lists. Nothing another journey or application holds is touched.

    Raises
    ------
    StoreError
        When the database holds no such journey (naming those it holds).
    """
    listed = read_rows(runner, journey, sections=("journey", "departments", "functions"))
    held = lock(runner, journey, listed, {})
    # Read again under the lock: what a push of the journey that held it wrote
    # goes too (or, had a delete held it, the journey is gone: said as such).
    current = read_rows(runner, journey)
    lock(runner, journey, current, {}, held=held)
    changes = plan(current, {})
    result = PushResult(journey, created=False)
    result.detached = detached(runner, journey, changes.deletes, journey_too=True)
    send = _sender(runner, journey, result, batch_size, None)
    for section in DELETE_ORDER:
        send(f"delete-{section}", changes.deletes[section])
    for name in ("sync/delete-findings", "sync/delete-journey"):
        runner.run(library.query(name).text, {"journey": journey})
        result.statements += 1
    _sweep(runner, result, changes.deletes)
    result.deleted = {s: len(rows) for s, rows in changes.deletes.items()}
    result.deleted["journey"] = 1
    return result


# The nodes of a journey, by the section of rows that lists them.
_JOURNEY_NODES = {"stages": "Stage", "touchpoints": "Touchpoint", "personas": "Persona"}
_JOURNEY_NODES |= {"opportunities": "Opportunity"}


def detached(runner: Runner, journey: str, deletes: Rows, *, journey_too: bool = False) -> int:
    """How many relationships of other applications' the nodes ``deletes`` removes
    (and the journey node, ``journey_too``) have: they go with them."""
    keys = [
        [label, journey, row["id"]]
        for section, label in _JOURNEY_NODES.items()
        for row in deletes.get(section, ())
    ]
    keys += [["Journey", journey]] if journey_too else []
    if not keys:
        return 0
    q = library.query("sync/read-detached")
    (row,) = runner.run(q.text, {"journey": journey, "keys": keys, "own": list(own_types())})
    return int(row["foreign"])


def own_types() -> tuple[str, ...]:
    """journeygraph's relationship types: any other on its nodes is another application's."""
    from journeygraph.store.schema import RELATIONSHIPS

    return tuple(RELATIONSHIPS)


def _sender(
    runner: Runner,
    journey: str,
    result: PushResult,
    batch_size: int,
    progress: Callable[[int], None] | None,
) -> Callable[[str, list[dict[str, object]]], None]:
    """Sends rows to one ``sync/`` query in batches, counting the statements."""

    def send(name: str, rows: list[dict[str, object]]) -> None:
        q = library.query(f"sync/{name}")
        for batch in batches(rows, batch_size):
            given: dict[str, object] = {"journey": journey, "rows": batch}
            if "fresh" in q.parameters:  # a journey's first revision, if it is new
                given["fresh"] = new_revision()
            runner.run(q.text, {k: given[k] for k in q.parameters if k in given})
            result.statements += 1
            if progress is not None:
                progress(len(batch))

    return send


def _sweep(runner: Runner, result: PushResult, unlinked: Rows) -> None:
    """Drop the functions and departments just ``unlinked`` that no journey lists any more,
    counting another application's relationships on them in ``result.detached``."""
    for section in ("functions", "departments"):
        ids = sorted({r["id"] for r in unlinked.get(section, ())})
        if ids:
            q = library.query(f"sync/delete-orphan-{section}")
            removed = runner.run(q.text, {"ids": ids, "own": list(own_types())})
            # Another application's relationships on them go too: counted with the rest.
            result.detached += sum(int(row["foreign"]) for row in removed)
            result.statements += 1


def lock(
    runner: Runner,
    journey: str,
    current: Rows,
    desired: Rows,
    *,
    held: frozenset[tuple[str, str]] = frozenset(),
) -> frozenset[tuple[str, str]]:
    """Take the push locks of ``journey`` and of every function and department it
    lists or listed, in one sorted order: pushes that share none run side by side.

    Returns the locks now held: given back as ``held`` once the journey is read
    again under its lock, only those not held yet are taken (none, usually: no
    statement is sent then). Each lock is held until the transaction ends, and
    leaves no node behind (``cypher/sync/lock.cypher``).
    """
    locks = {("journey", journey)}
    for section, kind in (("functions", "function"), ("departments", "department")):
        for rows in (current, desired):
            locks |= {(kind, r["id"]) for r in rows.get(section, ())}
    if locks <= held:
        return held
    # Those taken after others may be out of order: a wait in a circle is Neo4j's
    # deadlock, refused as transient, and the driver runs the transaction again.
    given = [{"kind": kind, "id": ident} for kind, ident in sorted(locks - held)]
    runner.run(library.query("sync/lock").text, {"locks": given})
    return held | locks
