"""Paths and times: variants, end-to-end time, time per stage, conversion and fitness.

Each figure is one DuckDB query over ``steps`` (`journeygraph.evidence.reading.tables`).
`variants` and `end_to_end` need only the log; `journey_figures` reads the map
too (its stages, entries, exits and transitions).

Definitions, as the docs give them:

- a **variant** is the sequence of touchpoints one customer met, in time order;
- **end-to-end time** is from a customer's first event to their last (a
  customer with one event took no time);
- **time in a stage** is, per customer who met the stage, the sum of the times
  from each of their events at its touchpoints to their next event: how long
  they stayed before something else happened;
- **conversion** from a stage to the next (journey order) is the share of the
  customers who met the stage who also met the next;
- **fitness** is the share of customers whose whole path starts at an entry
  touchpoint, takes only the map's transitions and ends at an exit.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from journeygraph.evidence.reading.tables import ENTRIES, EXITS, MAP_STEPS, STAGE_OF, STEPS, put

if TYPE_CHECKING:  # the map's side loads only when a map is compared
    import duckdb
    import networkx as nx

__all__ = [
    "VARIANTS_KEPT",
    "Conversion",
    "Durations",
    "Fitness",
    "JourneyFigures",
    "StageTime",
    "Variant",
    "end_to_end",
    "journey_figures",
    "variants",
]

VARIANTS_KEPT = 20
"""How many of the most frequent variants are kept."""
VARIANT_STEPS = 100
"""A variant's path is shown up to this many steps; a longer one ends with a count of the
rest (``… 999,900 more steps``), in every view."""


@dataclass(frozen=True)
class Variant:
    """One path customers took, with how many took it."""

    path: tuple[str, ...]
    customers: int
    share: float

    def to_dict(self) -> dict[str, Any]:
        """As JSON-ready data."""
        return {"path": list(self.path), "customers": self.customers, "share": self.share}


@dataclass(frozen=True)
class Durations:
    """A distribution of times in seconds over customers."""

    customers: int = 0
    median_seconds: float = 0.0
    p90_seconds: float = 0.0


@dataclass(frozen=True)
class StageTime:
    """How long customers stay in one stage."""

    stage: str
    customers: int
    median_seconds: float
    p90_seconds: float

    def to_dict(self) -> dict[str, Any]:
        """As JSON-ready data."""
        return dict(vars(self))


@dataclass(frozen=True)
class Conversion:
    """Customers who met a stage, and how many of them met the next."""

    from_stage: str
    to_stage: str
    reached: int
    converted: int
    rate: float

    @property
    def onward(self) -> str:
        """``4,559 (>99%)``: customers who went on to the next stage, and their share, as
        every view writes it.

        Examples
        --------
        >>> Conversion("a", "b", 4580, 4559, 4559 / 4580).onward
        '4,559 (>99%)'
        """
        from journeygraph.escape import percent

        return f"{self.converted:,} ({percent(self.converted, self.reached)})"

    def to_dict(self) -> dict[str, Any]:
        """As JSON-ready data (``from``, ``to``, then the figures)."""
        return {
            "from": self.from_stage,
            "to": self.to_stage,
            "reached": self.reached,
            "converted": self.converted,
            "rate": self.rate,
        }


@dataclass(frozen=True)
class Fitness:
    """Trace fitness: the share of customers whose whole path the map describes.

    This is the share of fitting traces (a case fits when it starts at an entry,
    steps only along the map's transitions and ends at an exit), not the
    token-replay or alignment fitness that process-mining tools report under the
    same word. The other fields say why the rest do not fit; a customer may miss
    on several counts, and each count is of customers.
    """

    customers: int
    fitting: int
    share: float
    not_from_entry: int
    off_map: int
    not_at_exit: int

    def to_dict(self) -> dict[str, Any]:
        """As JSON-ready data."""
        return dict(vars(self))


@dataclass
class JourneyFigures:
    """The figures of the observed journey that need the map."""

    fitness: Fitness
    stages: list[StageTime] = field(default_factory=list)
    conversion: list[Conversion] = field(default_factory=list)


def variants(con: duckdb.DuckDBPyConnection, cases: int) -> tuple[list[Variant], int]:
    """The `VARIANTS_KEPT` most frequent variants (ties by path), and how many there are."""
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE variant_counts AS
        SELECT path, count(*) AS customers FROM (
          SELECT list(touchpoint ORDER BY place) AS path FROM {STEPS} GROUP BY case_no
        ) GROUP BY path
        """
    )
    top = con.execute(
        f"SELECT path[1:{VARIANT_STEPS}], len(path), customers FROM variant_counts "
        f"ORDER BY customers DESC, path LIMIT {VARIANTS_KEPT}"
    ).fetchall()
    total = con.execute("SELECT count(*) FROM variant_counts").fetchone()
    con.execute("DROP TABLE variant_counts")
    kept = variants_of(top, cases)
    return kept, int(total[0]) if total else 0


def end_to_end(con: duckdb.DuckDBPyConnection) -> Durations:
    """From each customer's first event to their last."""
    row = con.execute(
        f"SELECT count(*), quantile_cont(d, [0.5, 0.9]) FROM "
        f"(SELECT sum(coalesce(gap, 0)) AS d FROM {STEPS} GROUP BY case_no)"
    ).fetchone()
    if not row or not row[0]:
        return Durations()
    return Durations(int(row[0]), float(row[1][0]), float(row[1][1]))


def journey_figures(G: nx.MultiDiGraph, con: duckdb.DuckDBPyConnection) -> JourneyFigures:
    """Fitness, time per stage and stage-to-stage conversion of the log against the map."""
    from journeygraph import algorithms as alg
    from journeygraph.graph import TOUCHPOINT

    order = alg.stages(G)
    position = {s: i for i, s in enumerate(order)}
    stage_of = alg.stage_of(G)
    put(con, STAGE_OF, [(t, s, position[s]) for t, s in sorted(stage_of.items())])
    put(con, ENTRIES, [(t,) for t in alg.entry_touchpoints(G)])
    exits = [t for t in stage_of if G.nodes[(TOUCHPOINT, t)].get("exit")]
    put(con, EXITS, [(t,) for t in exits])
    put(con, MAP_STEPS, sorted(alg.transitions(G).edges()))
    return JourneyFigures(_fitness(con), _stage_times(con, order), _conversion(con, order))


def _fitness(con: duckdb.DuckDBPyConnection) -> Fitness:
    row = con.execute(
        f"""
        WITH c AS (
          SELECT s.case_no,
            bool_or(s.seq = s.case_no AND s.touchpoint IN (SELECT id FROM {ENTRIES.name}))
              AS from_entry,
            bool_or(s.next_touchpoint IS NULL AND s.touchpoint IN (SELECT id FROM {EXITS.name}))
              AS at_exit,
            count(*) FILTER (s.next_touchpoint IS NOT NULL AND m.a IS NULL) AS off
          FROM {STEPS} s
          LEFT JOIN {MAP_STEPS.name} m ON s.touchpoint = m.a AND s.next_touchpoint = m.b
          GROUP BY s.case_no
        )
        SELECT count(*), count(*) FILTER (from_entry AND at_exit AND off = 0),
          count(*) FILTER (NOT from_entry), count(*) FILTER (off > 0),
          count(*) FILTER (NOT at_exit)
        FROM c
        """
    ).fetchone()
    customers, fitting, not_from_entry, off_map, not_at_exit = (int(v) for v in row or (0,) * 5)
    share = round(fitting / customers, 4) if customers else 0.0
    return Fitness(customers, fitting, share, not_from_entry, off_map, not_at_exit)


def _stage_times(con: duckdb.DuckDBPyConnection, order: list[str]) -> list[StageTime]:
    rows = con.execute(
        f"""
        SELECT stage, count(*), quantile_cont(t, [0.5, 0.9]) FROM (
          SELECT s.case_no, m.stage, sum(coalesce(s.gap, 0)) AS t
          FROM {STEPS} s JOIN {STAGE_OF.name} m ON s.touchpoint = m.tp
          GROUP BY ALL
        ) GROUP BY stage
        """
    ).fetchall()
    found = {str(stage): (int(n), q) for stage, n, q in rows}
    return [
        StageTime(s, found[s][0], float(found[s][1][0]), float(found[s][1][1]))
        for s in order
        if s in found
    ]


def _conversion(con: duckdb.DuckDBPyConnection, order: list[str]) -> list[Conversion]:
    # Per stage (by its place in the journey), the customers who met it, and how
    # many of them also met the next stage.
    rows = con.execute(
        f"""
        WITH r AS (
          SELECT DISTINCT m.position, s.case_no
          FROM {STEPS} s JOIN {STAGE_OF.name} m ON s.touchpoint = m.tp
        )
        SELECT a.position, count(*), count(b.case_no)
        FROM r a LEFT JOIN r b ON b.case_no = a.case_no AND b.position = a.position + 1
        GROUP BY a.position
        """
    ).fetchall()
    found = {int(k): (int(n), int(both)) for k, n, both in rows}
    out = []
    for k, (a, b) in enumerate(itertools.pairwise(order)):
        here, both = found.get(k, (0, 0))
        out.append(Conversion(a, b, here, both, round(both / here, 4) if here else 0.0))
    return out


def variants_of(rows: Iterable[tuple[Any, Any, Any]], cases: int) -> list[Variant]:
    """Variants from ``(first steps, number of steps, customers)`` rows, the same whichever
    engine (DuckDB or Spark) counted them: a cut path says how many steps it left out."""
    return [
        Variant(
            tuple(str(t) for t in path)
            + ((f"… {steps - len(path):,} more steps",) if steps > len(path) else ()),
            int(n),
            round(int(n) / max(cases, 1), 4),
        )
        for path, steps, n in rows
    ]
