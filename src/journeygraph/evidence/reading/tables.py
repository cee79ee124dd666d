"""The DuckDB tables an event log becomes: the contract between reading, discovery and comparison.

`read_log` fills `LOG_ROWS` and defines the `EVENTS` view; `discover` turns
the events into `STEPS`; `compare` puts small tables of the map's values
(`MAP_TABLES`) beside them and joins. Each module's SQL names its tables by
these constants, and ``tests/evidence/test_tables.py`` checks that the
connection holds exactly these columns after a comparison.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

__all__ = [
    "ENTRIES",
    "EVENTS",
    "EXITS",
    "FINDING_STEPS",
    "FINDING_TOUCHPOINTS",
    "HANDS",
    "HAND_PAIRS",
    "KEPT_TOUCHPOINTS",
    "LOG_NAMES",
    "LOG_PERFORMERS",
    "LOG_ROWS",
    "LOOP_BACK_TAKEN",
    "LOOP_MEMBERS",
    "LOOP_STEPS",
    "MAP_STEPS",
    "MAP_TABLES",
    "REPLAY_STEPS",
    "SEGMENT_CASES",
    "SEGMENT_EVENTS",
    "SLA_STEPS",
    "STAGE_OF",
    "STEPS",
    "TABLES",
    "TOUCHPOINT_TYPE",
    "WORK_GAPS",
    "WORK_STEPS",
    "Table",
    "put",
]


@dataclass(frozen=True)
class Table:
    """A table (or view) of the log's DuckDB connection: its name, columns and meaning."""

    name: str
    columns: tuple[tuple[str, str], ...]
    """``(name, DuckDB type)`` in order; the type is the one `put` creates, or a kind."""
    meaning: str

    def __str__(self) -> str:
        return self.name


LOG_ROWS = Table(
    "log_rows",
    (
        ("case_id", "VARCHAR"),
        ("touchpoint", "VARCHAR"),
        ("ts", "DOUBLE"),
        ("bad_time", "VARCHAR"),
        ("performer", "VARCHAR"),
        ("stage", "VARCHAR"),
    ),
    "Every row of the log in file order (rowid + 1 is the row's place in the file); "
    "ts in seconds since the epoch, bad_time the time's text where it could not be read, "
    "performer who did it and stage the stage the log gives it (NULL where the log does not "
    "say).",
)
EVENTS = Table(
    "events",
    (
        ("case_id", "VARCHAR"),
        ("touchpoint", "VARCHAR"),
        ("ts", "DOUBLE"),
        ("seq", "BIGINT"),
        ("performer", "VARCHAR"),
        ("stage", "VARCHAR"),
    ),
    "A view of the usable rows of log_rows; seq is the row's place in the file.",
)
SEGMENT_EVENTS = Table(
    "segment_events",
    EVENTS.columns,
    "With a segment (`discover --since/--until/--where`), the events of its cases; the "
    "events view then reads this table.",
)
TOUCHPOINT_TYPE = "touchpoint_name"
"""The ENUM of the log's touchpoints that `STEPS` stores them as."""
STEPS = Table(
    "steps",
    (
        ("case_no", "UINTEGER or UBIGINT"),
        ("touchpoint", TOUCHPOINT_TYPE),
        ("seq", "UINTEGER or UBIGINT"),
        ("next_touchpoint", TOUCHPOINT_TYPE),
        ("gap", "DOUBLE"),
        ("place", "UINTEGER"),
    ),
    "Each event with the next one of its case: case_no is the seq of the case's first "
    "event, next_touchpoint and gap (seconds) are NULL on the case's last event; place is "
    "the event's place in its case, from 1.",
)
WORK_STEPS = Table(
    "work_steps",
    (
        ("case_no", "UINTEGER or UBIGINT"),
        ("touchpoint", TOUCHPOINT_TYPE),
        ("next_touchpoint", TOUCHPOINT_TYPE),
        ("performer", "VARCHAR"),
        ("next_performer", "VARCHAR"),
    ),
    "Where the log names performers: the steps of STEPS where the performer changes, with "
    "who performed each end.",
)
EXITS = Table("exits", (("id", "VARCHAR"),), "The map's exit touchpoints.")
ENTRIES = Table("entries", (("id", "VARCHAR"),), "Where the map's customers start.")
STAGE_OF = Table(
    "stage_of",
    (("tp", "VARCHAR"), ("stage", "VARCHAR"), ("position", "BIGINT")),
    "Each mapped touchpoint's stage, and the stage's place in the journey (from 0).",
)
MAP_STEPS = Table("map_steps", (("a", "VARCHAR"), ("b", "VARCHAR")), "The map's transitions.")
LOG_NAMES = Table(
    "log_names",
    (("log_name", "VARCHAR"), ("touchpoint", "VARCHAR")),
    "The map's touchpoint id for each log name of a names file (`discover --names`).",
)
KEPT_TOUCHPOINTS = Table(
    "kept_touchpoints",
    (("touchpoint", "VARCHAR"),),
    "Where the log has more touchpoints than discovery keeps (`LogLimits.touchpoints`): "
    "those it keeps, the most events first (empty when it keeps them all).",
)
SEGMENT_CASES = Table(
    "segment_cases",
    (("case_id", "VARCHAR"),),
    "The cases that meet every `discover --where` condition.",
)
LOG_PERFORMERS = Table(
    "log_performers",
    (("performer", "VARCHAR"), ("function", "VARCHAR")),
    "The map's function for each performer of a names file (`discover --names`).",
)
LOOP_STEPS = Table(
    "loop_steps",
    (("loop", "BIGINT"), ("a", "VARCHAR"), ("b", "VARCHAR")),
    "The back edges of each loop across stages (a step to an earlier stage), by the loop's number.",
)
LOOP_BACK_TAKEN = Table(
    "loop_back_taken",
    (
        ("loop", "BIGINT"),
        ("case_no", "UINTEGER or UBIGINT"),
        ("a", "VARCHAR"),
        ("b", "VARCHAR"),
        ("place", "UINTEGER"),
    ),
    "Each step back round a loop a customer took (see `journeygraph.evidence.LoopTraffic`): "
    "the loop's number, the case, the step and its place in the case.",
)
INTENDED_STEPS = Table(
    "intended_steps",
    (("a", "VARCHAR"), ("b", "VARCHAR")),
    "The transitions the map marks as closing a cycle the business wants (`next: [{to, cycle}]`).",
)
LOOP_MEMBERS = Table(
    "loop_members",
    (("loop", "BIGINT"), ("tp", "VARCHAR")),
    "The touchpoints of each loop within one stage, by the loop's number.",
)
FINDING_TOUCHPOINTS = Table(
    "finding_touchpoints",
    (("finding", "BIGINT"), ("tp", "VARCHAR")),
    "The touchpoints each audit finding is about, by the finding's number.",
)
FINDING_STEPS = Table(
    "finding_steps",
    (("finding", "BIGINT"), ("a", "VARCHAR"), ("b", "VARCHAR")),
    "The transitions each audit finding is about, by the finding's number.",
)
HANDS = Table(
    "hands",
    (("a", "VARCHAR"), ("b", "VARCHAR")),
    "The steps where the Responsible functions share none: a change of hands.",
)
HAND_PAIRS = Table(
    "hand_pairs",
    (("a", "VARCHAR"), ("b", "VARCHAR"), ("giver", "VARCHAR"), ("taker", "VARCHAR")),
    "Each observed change of hands with the pairs of functions it passes between.",
)
WORK_GAPS = Table(
    "work_gaps",
    (("giver", "VARCHAR"), ("taker", "VARCHAR"), ("a", "VARCHAR"), ("b", "VARCHAR")),
    "Each observed handover of work between two functions that no declared handoff covers.",
)
SLA_STEPS = Table(
    "sla_steps",
    (("handoff", "BIGINT"), ("a", "VARCHAR"), ("b", "VARCHAR")),
    "The transitions each declared handoff with an SLA covers, by the handoff's number.",
)
REPLAY_STEPS = Table(
    "replay_steps",
    (
        ("organisation", "BIGINT"),
        ("a", "VARCHAR"),
        ("b", "VARCHAR"),
        ("undeclared", "BOOLEAN"),
        ("without_sla", "BOOLEAN"),
        ("sla_seconds", "DOUBLE"),
    ),
    "For a replay (`journeygraph.scenario.replay`), each observed change of hands under each "
    "organisation: undeclared, declared without an SLA, or its SLA. Dropped once read, so not "
    "among `TABLES`.",
)
MAP_TABLES = (
    KEPT_TOUCHPOINTS,
    SEGMENT_CASES,
    LOG_NAMES,
    LOG_PERFORMERS,
    EXITS,
    ENTRIES,
    STAGE_OF,
    MAP_STEPS,
    LOOP_STEPS,
    LOOP_MEMBERS,
    INTENDED_STEPS,
    FINDING_TOUCHPOINTS,
    FINDING_STEPS,
    HANDS,
    HAND_PAIRS,
    WORK_GAPS,
    SLA_STEPS,
)
"""The small tables of the map's values, made by `put`."""
TABLES = (LOG_ROWS, EVENTS, SEGMENT_EVENTS, STEPS, WORK_STEPS, LOOP_BACK_TAKEN, *MAP_TABLES)
"""Every table and view of the contract."""


def put(con: Any, table: Table, rows: Sequence[tuple[Any, ...]]) -> None:
    """(Re)create one of `MAP_TABLES` holding ``rows``, passed as parameters (never as SQL)."""
    types = ", ".join(f"{name} {kind}" for name, kind in table.columns)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {table.name} ({types})")
    if rows:
        # One statement of a list per column, unnested side by side (in order):
        # ``executemany`` runs a statement per row, about 300 µs each.
        columns = [list(values) for values in zip(*rows, strict=True)]
        unnested = ", ".join(
            f"unnest(${k}::{kind}[])" for k, (_, kind) in enumerate(table.columns, start=1)
        )
        con.execute(f"INSERT INTO {table.name} SELECT {unnested}", columns)
