"""LadybugDB, an embedded openCypher engine, behind journeygraph's `Runner`.

The audit and explore queries run on it unchanged but for one label. Four
dialect differences are handled here, at the boundary:

* LadybugDB needs tables declared before data: node and relationship tables are
  generated from `journeygraph.store.schema`, each with a serial key (nodes are
  merged by their ``key`` property, a list).
* A node there has one label, its table. Every node in the embedded database is
  journeygraph's, so the label ``:JourneyGraph`` that the queries add to
  journeygraph's nodes is dropped and ``NOT n:JourneyGraph`` reads as false: the
  one edit of query text, made here and nowhere else (`_one_label`).
* A relationship's type is ``label(r)`` there, ``type(r)`` in Neo4j: the push's
  count of other applications' relationships (``sync/read-detached``) asks it,
  and gets 0, every node here being journeygraph's (`_one_label` too).
* It has no quantified path patterns. The queries write their searches along
  ``NEXT`` as one, ``(()-[:NEXT]->(:Touchpoint:JourneyGraph)){0,}``, only to
  keep each step's far end journeygraph's touchpoint; here, every node being
  journeygraph's and a ``NEXT`` table joining touchpoints only, that is
  ``-[:NEXT*0..]->`` (`_one_label` too, checking the label against the table).
* Its variable-length patterns enumerate walks up to a depth bound (30 by
  default) instead of Neo4j's trails, and the number of walks grows
  exponentially with the depth on journeys with loops (the B2B example takes
  0.1 s at depth 13 and 19 s at depth 20). The bound is set to one more than
  the longest shortest path between two touchpoints of the loaded journeys: no
  touchpoint is reachable only by a longer walk, and no shortest cycle is
  longer, so reachability and mutual reachability, the only questions the
  queries ask of ``[:NEXT*]``, get the same answers as without a bound.

Maps are loaded with journeygraph's own push (the ``sync/`` queries), inside a
transaction, so the mirror semantics are exercised on a real engine too. Only
``schema.cypher`` (Neo4j's constraint DDL) does not run here.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import ladybug
import networkx as nx

from journeygraph.model import JourneyMap
from journeygraph.store.revision import Pinned
from journeygraph.store.runner import Runner
from journeygraph.store.schema import NODES, OURS, RELATIONSHIPS, RETIRED, STAGED
from journeygraph.store.writer import push

T = TypeVar("T")

_TYPES = {
    "version": "INT64",
    "position": "INT64",
    "experience_position": "INT64",
    "entry": "BOOLEAN",
    "exit": "BOOLEAN",
    "held": "BOOLEAN",
    "weight": "DOUBLE",
    "metrics": "STRING[]",
    "entities": "STRING[]",
    "external": "BOOLEAN",
    "fte": "DOUBLE",
    "volume": "DOUBLE",
    "handle_minutes": "DOUBLE",
    "emotion": "INT64",
    "priority": "INT64",
    "pain_points": "STRING[]",
    "quotes": "STRING[]",
    "goals": "STRING[]",
    "log_names": "STRING[]",
    "evidence": "STRING[]",
    "log_performers": "STRING[]",
    "key": "STRING[]",
    "leftovers": "STRING[]",
    "scoped": "BOOLEAN",
}
_NOT_OURS = re.compile(rf"\bNOT (\w+):{OURS}\b")
_TYPE = re.compile(r"\btype\(")
_OURS = re.compile(rf":{OURS}\b")
# A quantified path pattern of one step whose only condition is the far node's
# label: (()-[:NEXT]->(:Touchpoint)){0,}, once the second label is dropped.
_QUANTIFIED = re.compile(r"\(\(\)(<?-)\[:(\w+)\](->?)\((?::(\w+))?\)\)\{(\d+),(\d*)\}")


def _one_label(query: str) -> str:
    """``query`` as LadybugDB reads it: a node there has one label, its table.

    Every node in this database is journeygraph's, so the second label the
    queries give journeygraph's nodes (``:Touchpoint:JourneyGraph``) is
    dropped, and ``NOT n:JourneyGraph`` (another application's node) is false.
    A quantified path pattern that only keeps each step's far end
    journeygraph's becomes the variable-length pattern it then is (`_unquantified`).
    """
    one = _TYPE.sub("label(", _OURS.sub("", _NOT_OURS.sub("false", query)))
    return _QUANTIFIED.sub(_unquantified, one)


def _unquantified(found: re.Match[str]) -> str:
    """``(()-[:NEXT]->(:Touchpoint)){0,}`` as ``-[:NEXT*0..]->``: the label, if
    any, is the only one the relationship's table reaches that way."""
    left, kind, right, label, low, high = found.groups()
    pairs, _ = RELATIONSHIPS[kind]
    far = {source if left == "<-" else target for source, target in pairs}
    assert label is None or far == {label}, f"{found[0]} is not {kind}'s table's only end"
    return f"{left}[:{kind}*{low}..{high}]{right}"


def _ddl() -> list[str]:
    tables = []
    for label, props in NODES.items():
        # Nodes are merged by their `key`, a list: a serial number is the table's key.
        columns = ["_key SERIAL PRIMARY KEY", *(f"{p} {_TYPES.get(p, 'STRING')}" for p in props)]
        tables.append(f"CREATE NODE TABLE {label}({', '.join(columns)})")
    # The labels of staged pushes, which never run here (a journey that large
    # would not either): empty tables, so that a push's look for leftovers runs.
    for label in (STAGED, RETIRED):
        tables.append(
            f"CREATE NODE TABLE {label}(_key SERIAL PRIMARY KEY, key STRING[], journey STRING, "
            "id STRING, staged STRING, staged_for STRING)"
        )
    for kind, (pairs, props) in RELATIONSHIPS.items():
        ends = ", ".join(f"FROM {source} TO {target}" for source, target in pairs)
        extra = "".join(f", {p} {_TYPES.get(p, 'STRING')}" for p in props)
        tables.append(f"CREATE REL TABLE {kind}({ends}{extra})")
    return tables


_PROBE = "\x00journeygraph-type-probe"
_SAMPLE = {"DOUBLE": 0.0, "INT64": 0, "BOOLEAN": False}


def _typed(parameters: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """Parameters LadybugDB binds with the types Neo4j would see, and whether a probe was added.

    LadybugDB types a parameter from its values: rows whose ``fte`` (or any
    typed field) is null throughout would bind ``row.fte`` as STRING and fail to
    set a DOUBLE. One more row, with typed values and ids no entity has, fixes
    the type; whatever it created is removed right after (`Ladybug.run`).
    """
    rows = parameters.get("rows")
    if not rows:
        return parameters, False
    untyped = {
        key: _SAMPLE[_TYPES[key]]
        for key in rows[0]
        if _TYPES.get(key) in _SAMPLE and all(r[key] is None for r in rows)
    }
    if not untyped:
        return parameters, False
    names = {
        key: _PROBE
        for key, value in rows[0].items()
        if isinstance(value, str) and key not in untyped
    }
    parameters["rows"] = [*rows, {**rows[0], **names, **untyped}]
    return parameters, True


def _walk_bound(transitions: list[dict[str, Any]]) -> int:
    """One more than the longest shortest path: enough for every reachability."""
    graph = nx.DiGraph((r["source"], r["target"]) for r in transitions)
    longest = max(
        (d for _, lengths in nx.all_pairs_shortest_path_length(graph) for d in lengths.values()),
        default=0,
    )
    return longest + 1


class Ladybug:
    """An in-memory LadybugDB holding journeygraph's schema."""

    def __init__(self) -> None:
        self._db = ladybug.Database(":memory:")
        self._conn = ladybug.Connection(self._db)
        for statement in _ddl():
            self._conn.execute(statement)
        self._depth = 1

    def run(self, query: str, parameters: Mapping[str, Any]) -> list[dict[str, Any]]:
        """Rows of ``query`` as dicts, as the Neo4j runner gives them: given its
        journey's current ``$revision`` when it uses one, as there (`Pinned`)."""
        return Pinned(self._run).run(query, parameters)

    def _run(self, query: str, parameters: Mapping[str, Any]) -> list[dict[str, Any]]:
        typed, probed = _typed(dict(parameters))
        result = self._conn.execute(_one_label(query), typed)
        assert not isinstance(result, list)
        if probed:
            self._conn.execute("MATCH (n) WHERE n.id = $probe DETACH DELETE n", {"probe": _PROBE})
        columns = result.get_column_names()
        rows = []
        while result.has_next():
            rows.append(dict(zip(columns, result.get_next(), strict=True)))
        return rows

    def load(self, m: JourneyMap) -> None:
        """Store ``m`` with journeygraph's own push, in one transaction."""
        self.write(lambda tx: push(tx, m))

    def write(self, work: Callable[[Runner], T]) -> T:
        """Run ``work`` in one transaction, as `Neo4jStore.write` does: all or nothing."""
        self._conn.execute("BEGIN TRANSACTION")
        try:
            done = work(self)
        except BaseException:
            # LadybugDB ends the transaction itself when a statement fails.
            with contextlib.suppress(RuntimeError):
                self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")
        # Raise the walk bound for the transitions now stored (see the module docstring).
        rows = self.run(
            "MATCH (a:Touchpoint)-[:NEXT]->(b:Touchpoint) "
            "RETURN a._key AS source, b._key AS target",
            {},
        )
        self._depth = max(self._depth, _walk_bound(rows))
        self._conn.execute(f"CALL var_length_extend_max_depth={self._depth}")
        return done

    def read(self, work: Callable[[Runner], T]) -> T:
        """Run ``work`` against the database (reads need no transaction here)."""
        return work(self)
