"""The observed journey: what customers did, discovered from an event log.

The ``events`` that `journeygraph.evidence.reading.log.read_log` made become one table,
``steps(case_no, touchpoint, seq, next_touchpoint, gap)``: each event with the
next of its case in time order (ties in file order). Each figure is then one
DuckDB query over it: directly-follows counts and per-touchpoint counts. Later
questions (drop-offs, handoffs, loops) are queries over ``steps`` too.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from journeygraph.evidence.discovery.overlay import Overlay
from journeygraph.evidence.reading.log import EventLog
from journeygraph.evidence.reading.session import duckdb_errors
from journeygraph.evidence.reading.tables import (
    EVENTS,
    EXITS,
    KEPT_TOUCHPOINTS,
    LOG_ROWS,
    STEPS,
    TOUCHPOINT_TYPE,
    WORK_STEPS,
    put,
)
from journeygraph.evidence.statistics.throughput import Durations, Variant, end_to_end, variants

if TYPE_CHECKING:
    import duckdb

__all__ = [
    "Aggregates",
    "Handover",
    "ObservedFlow",
    "TouchpointStats",
    "TransitionStats",
    "aggregate",
    "discover",
]

CASE_KEYS = ("hash(case_id)", "case_id")
"""What the events are partitioned into cases by, first to last: a 64-bit hash of
the case id is cheaper to sort by than its text. Two ids of the same hash would
make one case, so when the cases found are fewer than the log's distinct ids,
the next key is tried; the last is the id itself."""

ORDERED_STEPS = "ordered_steps"
"""Where the log names performers, `STEPS` with who performed each event and the next,
made in one window before `STEPS` and `WORK_STEPS` are cut from it (then dropped)."""

SEQ_32_BITS_BELOW = 2**32
"""Logs with fewer rows than this number their events in 32 bits, not 64."""


@dataclass(frozen=True)
class TouchpointStats:
    """What the log says about one touchpoint.

    Attributes
    ----------
    events
        Events at the touchpoint.
    customers
        Distinct cases with at least one event there.
    starts, ends
        Cases whose first (last) event is there.
    repeat_customers
        Cases with more than one event there (rework).
    """

    events: int
    customers: int
    starts: int
    ends: int
    repeat_customers: int


@dataclass(frozen=True)
class TransitionStats:
    """Directly-follows figures of one pair of touchpoints.

    Attributes
    ----------
    transitions
        How many times an event at the first was directly followed, in the same
        case, by an event at the second.
    customers
        Distinct cases that took the step at least once.
    median_seconds, p90_seconds
        The median and 90th percentile of the time between the two events.
    """

    transitions: int
    customers: int
    median_seconds: float
    p90_seconds: float


@dataclass(frozen=True)
class Handover:
    """Work passed from one performer to another on consecutive steps of cases.

    Performers are the map's functions where the log's names are mapped to
    them, else as the log names them.

    Attributes
    ----------
    giver, taker
        Who performed the earlier step, and who the next.
    steps
        How many times work passed between them.
    customers
        Distinct cases in which it did.
    at
        Per ``(from touchpoint, to touchpoint)``, the steps there.
    """

    giver: str
    taker: str
    steps: int
    customers: int
    at: Mapping[tuple[str, str], int] = field(default_factory=dict)


@dataclass
class ObservedFlow:
    """The observed flow graph of a log.

    Attributes
    ----------
    log
        The log it was discovered from (its DuckDB tables stay usable).
    cases, events
        How many cases (customers) and events.
    touchpoints
        Per touchpoint id, its figures, by events (most first).
    transitions
        Per ``(from, to)`` pair, its figures, by transitions (most first).
    performers
        Per touchpoint, who performed its events (where the log says): each
        performer with its events, most first (ties by name).
    """

    log: EventLog
    cases: int
    events: int
    touchpoints: dict[str, TouchpointStats] = field(default_factory=dict)
    transitions: dict[tuple[str, str], TransitionStats] = field(default_factory=dict)
    performers: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    handovers: list[Handover] = field(default_factory=list)
    """Work passed between performers, most customers first (where the log names
    performers)."""
    variants: list[Variant] = field(default_factory=list)
    """The most frequent paths, most customers first."""
    distinct_variants: int = 0
    """How many different paths customers took."""
    end_to_end: Durations = field(default_factory=Durations)
    """From each customer's first event to their last."""
    stages: list[str] = field(default_factory=list)
    """Where the log gives stages: the stages, in the order customers meet them (by the
    mean place of each customer's first event in the stage)."""
    stage_events: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    """Where the log gives stages: per touchpoint, its events in each stage, most first."""
    touchpoints_left_out: int = 0
    """Touchpoints past `journeygraph.evidence.reading.limits.LogLimits.touchpoints` (those with
    the fewest events): their events count in every total, but they have no figures of
    their own, and no transition to or from them is listed."""
    transitions_left_out: int = 0
    """Transitions not listed: past `LogLimits.transitions`, or to or from a touchpoint
    left out."""

    def outgoing(self, touchpoint: str) -> int:
        """Transitions observed out of ``touchpoint`` (to any touchpoint)."""
        return sum(s.transitions for (a, _), s in self.transitions.items() if a == touchpoint)

    def drop_offs(self, exits: Iterable[str]) -> dict[str, int]:
        """Per touchpoint, the customers whose journey ended there without reaching one of
        ``exits``."""
        con = self.log.connection
        put(con, EXITS, [(e,) for e in sorted(set(exits))])
        rows = con.execute(
            f"""
            WITH c AS (
              SELECT case_no, bool_or(touchpoint IN (SELECT id FROM {EXITS})) AS reached
              FROM {STEPS} GROUP BY case_no
            )
            SELECT s.touchpoint, count(*)
            FROM {STEPS} s JOIN c USING (case_no)
            WHERE NOT c.reached AND s.next_touchpoint IS NULL
            GROUP BY s.touchpoint
            """
        ).fetchall()
        return {str(tp): int(n) for tp, n in rows if str(tp) in self.touchpoints}

    def overlay(self, exits: Iterable[str] | None = None) -> Overlay:
        """What to draw on the journey flow (`journeygraph.render.Overlay`); with the map's
        ``exits``, where customers dropped off too."""
        return Overlay(
            self.cases,
            {ab: s.customers for ab, s in self.transitions.items()},
            {t: s.customers for t, s in self.touchpoints.items()},
            self.drop_offs(exits) if exits is not None else {},
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready tables."""
        return {
            "cases": self.cases,
            "events": self.events,
            "touchpoints_left_out": self.touchpoints_left_out,
            "transitions_left_out": self.transitions_left_out,
            "touchpoints": [{"touchpoint": t, **vars(s)} for t, s in self.touchpoints.items()],
            "transitions": [
                {"from": a, "to": b, **vars(s)} for (a, b), s in self.transitions.items()
            ],
            "end_to_end": vars(self.end_to_end),
            "distinct_variants": self.distinct_variants,
            "variants": [v.to_dict() for v in self.variants],
            "handovers": [
                {"from": h.giver, "to": h.taker, "steps": h.steps, "customers": h.customers}
                for h in self.handovers
            ],
            "performers": [
                {
                    "touchpoint": t,
                    "performer": who,
                    "events": n,
                    "share": round(n / self.touchpoints[t].events, 4),
                }
                for t, done in self.performers.items()
                for who, n in done
            ],
        }


def discover(log: EventLog) -> ObservedFlow:
    """The observed flow graph of ``log``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from journeygraph.evidence.reading.log import read_log
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "log.csv").write_text(
    ...     "case_id,touchpoint,timestamp\\n"
    ...     "c1,ad,2024-05-01T10:00:00Z\\nc1,shop,2024-05-01T10:05:00Z\\n"
    ...     "c2,ad,2024-05-01T11:00:00Z\\nc2,shop,2024-05-01T11:15:00Z\\n")
    >>> flow = discover(read_log(folder / "log.csv"))
    >>> flow.cases, flow.transitions[("ad", "shop")]
    (2, TransitionStats(transitions=2, customers=2, median_seconds=600.0, p90_seconds=840.0))
    """
    with duckdb_errors(log.file):
        flow = ObservedFlow(log, _steps(log), log.events)
        return aggregate(
            flow, _InDuckDB(log.connection), performers=log.performers, stages=log.stages
        )


class Aggregates(Protocol):
    """The queries of an observed flow's figures, as one engine runs them over its steps
    (DuckDB's ``steps`` table here, Spark's in `journeygraph.evidence.discovery.spark`)."""

    def touchpoint_stats(self, most: int) -> tuple[dict[str, TouchpointStats], int]:
        """The ``most`` busiest touchpoints' figures, and how many touchpoints there are."""
        ...

    def kept(self, touchpoints: Iterable[str]) -> str | None:
        """SQL for the touchpoints kept; None when all are."""
        ...

    def transition_stats(
        self, kept: str | None, most: int
    ) -> tuple[dict[tuple[str, str], TransitionStats], int]:
        """The ``most`` busiest steps' figures among ``kept``, and how many steps there are."""
        ...

    def performers(self, kept: str | None) -> dict[str, list[tuple[str, int]]]:
        """Who performed each touchpoint's events, and how many each."""
        ...

    def handovers(self, kept: str | None, most: int) -> list[Handover]:
        """The handovers of work between performers."""
        ...

    def stages(self, kept: str | None) -> tuple[list[str], dict[str, list[tuple[str, int]]]]:
        """The stages in the order customers meet them, and each touchpoint's."""
        ...

    def variants(self, cases: int) -> tuple[list[Variant], int]:
        """The most frequent variants, and how many there are."""
        ...

    def end_to_end(self) -> Durations:
        """From each customer's first event to their last."""
        ...


def aggregate(
    flow: ObservedFlow, engine: Aggregates, *, performers: bool, stages: bool
) -> ObservedFlow:
    """Fill ``flow``'s figures by ``engine``'s queries, within its log's limits: one order
    of work, whichever engine runs it (with ``performers`` and ``stages``, theirs too)."""
    limits = flow.log.limits
    flow.touchpoints, total = engine.touchpoint_stats(limits.touchpoints)
    flow.touchpoints_left_out = total - len(flow.touchpoints)
    # Past the limit, the figures below are of the touchpoints kept, decided here,
    # before the work and the output that grow with the touchpoints.
    kept = engine.kept(flow.touchpoints if flow.touchpoints_left_out else [])
    flow.transitions, total = engine.transition_stats(kept, limits.transitions)
    flow.transitions_left_out = total - len(flow.transitions)
    flow.performers = engine.performers(kept)
    if performers:
        flow.handovers = engine.handovers(kept, limits.transitions)
    if stages:
        flow.stages, flow.stage_events = engine.stages(kept)
    flow.variants, flow.distinct_variants = engine.variants(flow.cases)
    flow.end_to_end = engine.end_to_end()
    return flow


@dataclass(frozen=True)
class _InDuckDB:
    """`Aggregates` run by DuckDB, over the log's ``steps`` table."""

    con: duckdb.DuckDBPyConnection

    def touchpoint_stats(self, most: int) -> tuple[dict[str, TouchpointStats], int]:
        return _touchpoint_stats(self.con, most)

    def kept(self, touchpoints: Iterable[str]) -> str | None:
        return _kept(self.con, touchpoints)

    def transition_stats(
        self, kept: str | None, most: int
    ) -> tuple[dict[tuple[str, str], TransitionStats], int]:
        return _transition_stats(self.con, kept, most)

    def performers(self, kept: str | None) -> dict[str, list[tuple[str, int]]]:
        return _performers(self.con, kept)

    def handovers(self, kept: str | None, most: int) -> list[Handover]:
        return _handovers(self.con, kept, most)

    def stages(self, kept: str | None) -> tuple[list[str], dict[str, list[tuple[str, int]]]]:
        return _stages(self.con, kept)

    def variants(self, cases: int) -> tuple[list[Variant], int]:
        return variants(self.con, cases)

    def end_to_end(self) -> Durations:
        return end_to_end(self.con)


def _kept(con: duckdb.DuckDBPyConnection, touchpoints: Iterable[str]) -> str | None:
    """SQL for the touchpoints kept, put in `KEPT_TOUCHPOINTS`; None when all are kept
    (the table is then empty)."""
    put(con, KEPT_TOUCHPOINTS, [(t,) for t in touchpoints])
    return f"(SELECT touchpoint FROM {KEPT_TOUCHPOINTS})" if touchpoints else None


def _stages(
    con: duckdb.DuckDBPyConnection, kept: str | None = None
) -> tuple[list[str], dict[str, list[tuple[str, int]]]]:
    """The stages the log gives, in the order customers meet them, and each touchpoint's."""
    order = [
        str(stage)
        for (stage,) in con.execute(
            f"""
            SELECT stage FROM (
              SELECT case_id, stage, min(place) AS first FROM (
                SELECT case_id, stage, row_number() OVER (PARTITION BY case_id ORDER BY ts, seq)
                  AS place
                FROM {EVENTS}
              ) WHERE stage IS NOT NULL GROUP BY ALL
            ) GROUP BY stage ORDER BY avg(first), stage
            """
        ).fetchall()
    ]
    found: dict[str, list[tuple[str, int]]] = {}
    for touchpoint, stage, n in con.execute(
        f"SELECT touchpoint, stage, count(*) FROM {EVENTS} WHERE stage IS NOT NULL "
        + (f"AND touchpoint IN {kept} " if kept else "")
        + "GROUP BY ALL ORDER BY touchpoint, count(*) DESC, stage"
    ).fetchall():
        found.setdefault(str(touchpoint), []).append((str(stage), int(n)))
    return order, found


def _handovers(
    con: duckdb.DuckDBPyConnection, kept: str | None = None, most: int = 10_000
) -> list[Handover]:
    """Who handed work to whom on consecutive steps, most customers first (the ``most``
    first, at the ``kept`` touchpoints)."""
    changes = f"FROM {WORK_STEPS}"
    if kept:
        changes += f" WHERE touchpoint IN {kept} AND next_touchpoint IN {kept}"
    rows = con.execute(
        f"SELECT performer, next_performer, count(*), count(DISTINCT case_no) {changes} "
        f"GROUP BY ALL ORDER BY 4 DESC, 3 DESC, 1, 2 LIMIT {int(most)}"
    ).fetchall()
    # Where each handover happened is read only when asked for (a map's checks do;
    # the discovery's outputs do not): a log of many performers has a row per
    # pair of performers and pair of touchpoints (148,017 on the BPI 2012-shaped
    # log, half a second of CPU to fetch and file).
    steps = _HandoverSteps(con, changes)
    return [
        Handover(
            str(giver), str(taker), int(n), int(customers), _At(steps, (str(giver), str(taker)))
        )
        for giver, taker, n, customers in rows
    ]


class _HandoverSteps:
    """The steps of every handover, per pair of touchpoints: one query, when first asked."""

    def __init__(self, con: duckdb.DuckDBPyConnection, changes: str) -> None:
        self.con, self.changes = con, changes
        self.found: dict[tuple[str, str], dict[tuple[str, str], int]] | None = None

    def of(self, pair: tuple[str, str]) -> dict[tuple[str, str], int]:
        if self.found is None:
            found: dict[tuple[str, str], dict[tuple[str, str], int]] = {}
            for giver, taker, a, b, n in self.con.execute(
                f"SELECT performer, next_performer, touchpoint::VARCHAR, "
                f"next_touchpoint::VARCHAR, count(*) {self.changes} GROUP BY ALL ORDER BY ALL"
            ).fetchall():
                found.setdefault((str(giver), str(taker)), {})[(str(a), str(b))] = int(n)
            self.found = found
        return self.found.get(pair, {})


class _At(Mapping[tuple[str, str], int]):
    """`Handover.at` from DuckDB: read with every other handover's on first use.

    It reads the log's connection then: read it (or ``dict()`` it) before another
    discovery on the same log or before the log is closed; a copy holds the connection."""

    def __init__(self, steps: _HandoverSteps, pair: tuple[str, str]) -> None:
        self.steps, self.pair = steps, pair

    def __getitem__(self, key: tuple[str, str]) -> int:
        return self.steps.of(self.pair)[key]

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self.steps.of(self.pair))

    def __len__(self) -> int:
        return len(self.steps.of(self.pair))

    def __repr__(self) -> str:
        return repr(self.steps.of(self.pair))


def _performers(
    con: duckdb.DuckDBPyConnection, kept: str | None = None
) -> dict[str, list[tuple[str, int]]]:
    """Who performed each touchpoint's events, where the log says (of the ``kept``)."""
    found: dict[str, list[tuple[str, int]]] = {}
    among = f"AND touchpoint IN {kept} " if kept else ""
    for touchpoint, performer, n in con.execute(
        f"SELECT touchpoint, performer, count(*) FROM {EVENTS} WHERE performer IS NOT NULL "
        f"{among}GROUP BY touchpoint, performer ORDER BY touchpoint, count(*) DESC, performer"
    ).fetchall():
        found.setdefault(str(touchpoint), []).append((str(performer), int(n)))
    return found


def _steps(log: EventLog) -> int:
    """Make `STEPS` from the log's events; the number of cases."""
    con = log.connection
    # Touchpoints as an ENUM (sorted, so it orders as the text does): grouping
    # and joining by a small integer is cheaper than by text, and it still
    # compares equal to text. Its values are every row's touchpoint, a bad row's
    # too: one column read, not the events' filter over five (no figure lists
    # the ENUM's values, and those of no event order as they would among text).
    con.execute(f"DROP TABLE IF EXISTS {STEPS}")  # it uses the type
    con.execute(f"DROP TYPE IF EXISTS {TOUCHPOINT_TYPE}")
    con.execute(
        f"CREATE TYPE {TOUCHPOINT_TYPE} AS ENUM (SELECT DISTINCT touchpoint FROM {LOG_ROWS} "
        "WHERE touchpoint IS NOT NULL ORDER BY touchpoint)"
    )
    # Each event with the next one of its case. A case is numbered by the seq of
    # its first event (unique, and an integer is cheaper to group by than text);
    # an event starts its case when its seq is that number and ends it when no
    # event follows. The window sorts by case key, time and seq: the narrower
    # those keys, the faster, hence a 32-bit seq when the log allows it.
    seq = "UINTEGER" if log.events + log.bad_rows < SEQ_32_BITS_BELOW else "UBIGINT"
    # Each event's place in its case (from 1) orders a case's path; its time is not
    # kept (a case's end-to-end time is the sum of its gaps), nor who did it: every
    # column of a table this long costs memory on every event.
    # Who handed work to whom is read from the same window, in the same sort: the
    # steps where the performer changes (a second window over the events took a
    # third of the time of this function on the BPI 2012-shaped log).
    ordered = ORDERED_STEPS if log.performers else str(STEPS)
    performer = ", performer" if log.performers else ""
    next_performer = ", performer, lead(performer) OVER w AS next_performer" if performer else ""
    cases = 0
    for key in CASE_KEYS:
        con.execute(
            f"""
            CREATE OR REPLACE TABLE {ordered} AS
            SELECT first_value(seq) OVER w AS case_no, touchpoint, seq,
                   lead(touchpoint) OVER w AS next_touchpoint,
                   lead(ts) OVER w - ts AS gap, (row_number() OVER w)::UINTEGER AS place
                   {next_performer}
            FROM (SELECT {key} AS case_key, touchpoint::{TOUCHPOINT_TYPE} AS touchpoint, ts,
                         seq::{seq} AS seq{performer} FROM {EVENTS})
            WINDOW w AS (PARTITION BY case_key ORDER BY ts, seq)
            """
        )
        found = con.execute(f"SELECT count(*) FROM {ordered} WHERE seq = case_no").fetchone()
        cases = int(found[0]) if found else 0
        if cases == log.cases:
            break
    if log.performers:
        con.execute(
            f"CREATE OR REPLACE TABLE {STEPS} AS SELECT case_no, touchpoint, seq, "
            f"next_touchpoint, gap, place FROM {ordered}"
        )
        # Only the steps where the performer changes.
        con.execute(
            f"""
            CREATE OR REPLACE TABLE {WORK_STEPS} AS
            SELECT case_no, touchpoint, next_touchpoint, performer, next_performer
            FROM {ordered}
            WHERE next_touchpoint IS NOT NULL AND performer IS NOT NULL
              AND next_performer IS NOT NULL AND performer <> next_performer
            """
        )
        con.execute(f"DROP TABLE {ordered}")
    return cases


def _touchpoint_stats(
    con: duckdb.DuckDBPyConnection, most: int
) -> tuple[dict[str, TouchpointStats], int]:
    """The figures of the ``most`` touchpoints with the most events (most first), and how
    many touchpoints there are."""
    stats = {}
    # Starts and ends are counted per event (a case starts and ends once);
    # customers and repeat visits need each case's count per touchpoint.
    rows = con.execute(
        f"""
        WITH visits AS (
          SELECT touchpoint, count(*) AS customers, count(*) FILTER (n > 1) AS repeat
          FROM (SELECT touchpoint, case_no, count(*) AS n FROM {STEPS} GROUP BY ALL)
          GROUP BY touchpoint
        ), counts AS (
          SELECT touchpoint, count(*) AS events, count(*) FILTER (seq = case_no) AS starts,
                 count(*) FILTER (next_touchpoint IS NULL) AS ends
          FROM {STEPS} GROUP BY touchpoint
        )
        SELECT touchpoint, events, customers, starts, ends, repeat, count(*) OVER ()
        FROM counts JOIN visits USING (touchpoint)
        ORDER BY events DESC, touchpoint
        LIMIT {int(most)}
        """
    ).fetchall()
    for tp, n, customers, starts, ends, repeat, _ in rows:
        stats[tp] = TouchpointStats(int(n), int(customers), int(starts), int(ends), int(repeat))
    return stats, int(rows[0][-1]) if rows else 0


def _transition_stats(
    con: duckdb.DuckDBPyConnection, kept: str | None, most: int
) -> tuple[dict[tuple[str, str], TransitionStats], int]:
    """The figures of the ``most`` most taken transitions between ``kept`` touchpoints (all
    without), most first; and how many transitions there are."""
    among = f"AND touchpoint IN {kept} AND next_touchpoint IN {kept}" if kept else ""
    stats = {}
    rows = con.execute(
        f"""
        SELECT touchpoint, next_touchpoint, count(*), count(DISTINCT case_no),
               quantile_cont(gap, [0.5, 0.9]), count(*) OVER ()
        FROM {STEPS} WHERE next_touchpoint IS NOT NULL {among}
        GROUP BY touchpoint, next_touchpoint
        ORDER BY count(*) DESC, touchpoint, next_touchpoint
        LIMIT {int(most)}
        """
    ).fetchall()
    total = int(rows[0][-1]) if rows else 0
    for a, b, n, customers, (median, p90), _ in rows:
        stats[(a, b)] = TransitionStats(int(n), int(customers), float(median), float(p90))
    if kept:
        found = con.execute(
            f"SELECT count(*) FROM (SELECT DISTINCT touchpoint, next_touchpoint FROM {STEPS} "
            "WHERE next_touchpoint IS NOT NULL)"
        ).fetchone()
        total = int(found[0]) if found else total
    return stats, int(total)
