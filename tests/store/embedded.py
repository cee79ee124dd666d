"""LadybugDB, an embedded openCypher engine, behind journeygraph's `Runner`.

The audit and explore queries run on it unchanged. Two dialect differences are
handled here, at the boundary, never by editing query text:

* LadybugDB needs tables declared before data: node and relationship tables are
  generated from `journeygraph.store.schema`, with a serial key for the
  journey-scoped labels (Neo4j's composite uniqueness has no equivalent).
* Its variable-length patterns enumerate walks up to a depth bound (30 by
  default) instead of Neo4j's trails, and the number of walks grows
  exponentially with the depth on journeys with loops (the B2B example takes
  0.1 s at depth 13 and 19 s at depth 20). The bound is set to one more than
  the longest shortest path between two touchpoints of the loaded journeys: no
  touchpoint is reachable only by a longer walk, and no shortest cycle is
  longer, so reachability and mutual reachability, the only questions the
  queries ask of ``[:NEXT*]``, get the same answers as without a bound.

The sync (push) statements are Neo4j-only (constraints, ``CALL () {}``, typed
null parameters) and are checked by Neo4j's analyser and the ``neo4j`` tests;
here the rows of `journeygraph.store.rows` are loaded with plain ``CREATE``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ladybug
import networkx as nx

from journeygraph.graph import JOB_FUNCTION, STAGE, TOUCHPOINT
from journeygraph.model import JourneyMap
from journeygraph.store.rows import rows_of
from journeygraph.store.schema import NODES, RELATIONSHIPS
from journeygraph.store.writer import check_shared

_TYPES = {
    "version": "INT64",
    "position": "INT64",
    "entry": "BOOLEAN",
    "exit": "BOOLEAN",
    "weight": "DOUBLE",
    "metrics": "STRING[]",
    "functions": "STRING[]",
    "departments": "STRING[]",
}
_SCOPED = {STAGE, TOUCHPOINT}


def _ddl() -> list[str]:
    tables = []
    for label, props in NODES.items():
        columns = [f"{p} {_TYPES.get(p, 'STRING')}" for p in props]
        if label in _SCOPED:
            columns.insert(0, "_key SERIAL PRIMARY KEY")
        else:
            columns = [c + (" PRIMARY KEY" if c.startswith("id ") else "") for c in columns]
        tables.append(f"CREATE NODE TABLE {label}({', '.join(columns)})")
    for kind, (source, target, props) in RELATIONSHIPS.items():
        extra = "".join(f", {p} {_TYPES.get(p, 'STRING')}" for p in props)
        tables.append(f"CREATE REL TABLE {kind}(FROM {source} TO {target}{extra})")
    return tables


def _walk_bound(transitions: list[dict[str, Any]]) -> int:
    """One more than the longest shortest path: enough for every reachability."""
    T = nx.DiGraph((r["source"], r["target"]) for r in transitions)
    longest = max(
        (d for _, lengths in nx.all_pairs_shortest_path_length(T) for d in lengths.values()),
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
        """Rows of ``query`` as dicts, as the Neo4j runner gives them."""
        result = self._conn.execute(query, dict(parameters))
        assert not isinstance(result, list)
        columns = result.get_column_names()
        rows = []
        while result.has_next():
            rows.append(dict(zip(columns, result.get_next(), strict=True)))
        return rows

    def load(self, m: JourneyMap) -> None:
        """Store ``m`` as push would (functions and departments org-wide)."""
        check_shared(self, m)
        rows = rows_of(m)
        journey = m.journey.id
        self._depth = max(self._depth, _walk_bound(rows["transitions"]))
        self._conn.execute(f"CALL var_length_extend_max_depth={self._depth}")
        self._create("Journey", rows["journey"], {})
        fresh: dict[str, list[dict[str, Any]]] = {}
        for label, section in (("Department", "departments"), (JOB_FUNCTION, "functions")):
            known = {r["id"] for r in self.run(f"MATCH (n:{label}) RETURN n.id AS id", {})}
            fresh[section] = [r for r in rows[section] if r["id"] not in known]
            self._create(label, fresh[section], {})
        self._create(STAGE, rows["stages"], {"journey": journey})
        self._create(TOUCHPOINT, rows["touchpoints"], {"journey": journey})
        self._link(
            "MATCH (f:JobFunction {id: row.id}), (d:Department {id: row.department}) "
            "CREATE (f)-[:PART_OF]->(d)",
            [r for r in fresh["functions"] if r["department"] is not None],
        )
        self._link(
            "MATCH (t:Touchpoint {journey: $journey, id: row.id}), "
            "(s:Stage {journey: $journey, id: row.stage}) CREATE (t)-[:IN_STAGE]->(s)",
            rows["touchpoints"],
            journey=journey,
        )
        # Weights split by presence: LadybugDB types a parameter from its values,
        # and a batch of nulls alone would not be a DOUBLE.
        for weighted in (True, False):
            self._link(
                "MATCH (a:Touchpoint {journey: $journey, id: row.source}), "
                "(b:Touchpoint {journey: $journey, id: row.target}) "
                "CREATE (a)-[:NEXT {"
                + ("weight: row.weight, " if weighted else "")
                + "position: row.position}]->(b)",
                [r for r in rows["transitions"] if (r["weight"] is not None) == weighted],
                journey=journey,
            )
        self._link(
            "MATCH (f:JobFunction {id: row.function}), "
            "(t:Touchpoint {journey: $journey, id: row.touchpoint}) "
            "CREATE (f)-[:OWNS {role: row.role, position: row.position}]->(t)",
            rows["owners"],
            journey=journey,
        )
        self._link(
            "MATCH (a:JobFunction {id: row.source}), (b:JobFunction {id: row.target}) "
            "CREATE (a)-[:HANDS_OFF_TO {journey: $journey, name: row.name, "
            "description: row.description, position: row.position}]->(b)",
            rows["handoffs"],
            journey=journey,
        )

    def _create(self, label: str, rows: list[dict[str, Any]], fixed: dict[str, Any]) -> None:
        for row in rows:
            props = {k: v for k, v in row.items() if k in NODES[label] and v is not None}
            props.update(fixed)
            fields = ", ".join(f"{k}: ${k}" for k in props)
            self._conn.execute(f"CREATE (:{label} {{{fields}}})", props)

    def _link(self, pattern: str, rows: list[dict[str, Any]], **fixed: Any) -> None:
        if rows:
            self._conn.execute(f"UNWIND $rows AS row {pattern}", {"rows": rows, **fixed})
