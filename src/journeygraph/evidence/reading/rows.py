"""A log's rows in DuckDB: times parsed, names trimmed, and every row left out counted by
reason (the first reason that holds: a row counts once).
"""

from __future__ import annotations

from enum import IntEnum

from journeygraph.evidence.reading.columns import Columns
from journeygraph.evidence.reading.duckdb_engine import duckdb
from journeygraph.evidence.reading.limits import LogLimits
from journeygraph.evidence.reading.session import quoted
from journeygraph.evidence.reading.tables import EVENTS, LOG_ROWS

__all__ = ["FIRST_REASON", "MALFORMED", "BadReason", "load", "rejected_lines", "tally", "text"]


class BadReason(IntEnum):
    """Why a row is left out, in the order they are checked (a row counts once).

    The values are what the SQL that sorts rows (:data:`FIRST_REASON`) yields.
    """

    NO_CASE = 1
    NO_TOUCHPOINT = 2
    NO_TIME = 3
    BAD_TIME = 4
    LONG_NAME = 5

    @property
    def text(self) -> str:
        """The reason in words, as messages and outputs say it."""
        return _REASON_TEXT[self]


_REASON_TEXT = {
    BadReason.NO_CASE: "no case id",
    BadReason.NO_TOUCHPOINT: "no touchpoint",
    BadReason.NO_TIME: "no time",
    BadReason.BAD_TIME: "time is not ISO 8601 or epoch seconds/milliseconds",
    BadReason.LONG_NAME: "a touchpoint, performer or stage name longer than the limit "
    "(--limit name=N reads it)",
}


LONG_NAME = "greatest(length(touchpoint), length(performer), length(stage)) > {limit:d}"


FIRST_REASON = f"""CASE WHEN case_id IS NULL THEN {BadReason.NO_CASE:d}
    WHEN touchpoint IS NULL THEN {BadReason.NO_TOUCHPOINT:d}
    WHEN ts IS NULL AND bad_time IS NULL THEN {BadReason.NO_TIME:d}
    WHEN ts IS NULL THEN {BadReason.BAD_TIME:d}
    WHEN {LONG_NAME} THEN {BadReason.LONG_NAME:d} END"""


MALFORMED = "not a row of the CSV's columns"
"""The reason for lines the CSV reader refused (too many or too few columns, say)."""


# Epoch seconds journeygraph takes as times: from 1900 to 2200. Beyond them (or
# inf and nan) a number is not a time of a customer's visit.
_EARLIEST, _LATEST = -2_208_988_800, 7_258_118_400


def _iso(text: str) -> str:
    """Seconds since the epoch of an ISO 8601 time (UTC unless it says otherwise)."""
    return f"epoch(TRY_CAST({text} AS TIMESTAMPTZ))"


def text(column: str) -> str:
    """A column as text without surrounding spaces, NULL when empty. Most values
    have no spaces to trim, and testing for them is cheaper than trimming."""
    text = f"CAST({column} AS VARCHAR)"
    spaced = f"{text} LIKE ' %' OR {text} LIKE '% '"
    return f"nullif(CASE WHEN {spaced} THEN trim({text}) ELSE {text} END, '')"


def _epoch(text: str) -> str:
    """Seconds since the epoch of a number: seconds, or milliseconds when it is too
    large to be seconds (after the year 5138)."""
    number = f"TRY_CAST({text} AS DOUBLE)"
    seconds = f"CASE WHEN abs({number}) >= 1e11 THEN {number} / 1000 ELSE {number} END"
    return (
        f"CASE WHEN isfinite({number}) AND ({seconds}) BETWEEN {_EARLIEST} AND {_LATEST} "
        f"THEN {seconds} END"
    )


def load(con: duckdb.DuckDBPyConnection, source: str, columns: Columns, limits: LogLimits) -> None:
    """Read every row into `LOG_ROWS` in one pass, and define the `EVENTS` view."""
    case, touchpoint, time = (quoted(c) for c in (columns.case, columns.touchpoint, columns.time))
    performer = "NULL::VARCHAR" if columns.performer is None else text(quoted(columns.performer))
    stage = "NULL::VARCHAR" if columns.stage is None else text(quoted(columns.stage))
    # Times are parsed in the form the log starts with; the rows the other form
    # reads are fixed afterwards, so a log mixing both costs one parse, not two.
    first = con.execute(
        f"SELECT TRY_CAST(w AS DOUBLE) IS NOT NULL FROM (SELECT {text(time)} AS w "
        f"FROM {source}) WHERE w IS NOT NULL LIMIT 1"
    ).fetchone()
    parse, other = (_epoch, _iso) if first and first[0] else (_iso, _epoch)
    # In file order (DuckDB keeps insertion order, so a row's rowid + 1 is its
    # row in the file); the time's text is kept only where it could not be read.
    con.execute(
        f"""
        CREATE OR REPLACE TABLE {LOG_ROWS} AS
        SELECT case_id, touchpoint, ts, CASE WHEN ts IS NULL THEN w END AS bad_time, performer,
               stage
        FROM (
          SELECT case_id, touchpoint, w, {parse("w")} AS ts, performer, stage
          FROM (
            SELECT {text(case)} AS case_id, {text(touchpoint)} AS touchpoint,
                   {text(time)} AS w, {performer} AS performer, {stage} AS stage
            FROM {source}
          )
        )
        """
    )
    con.execute(
        f"UPDATE {LOG_ROWS} SET ts = {other('bad_time')}, bad_time = NULL "
        f"WHERE bad_time IS NOT NULL AND {other('bad_time')} IS NOT NULL"
    )
    con.execute(
        f"CREATE OR REPLACE VIEW {EVENTS} AS SELECT case_id, touchpoint, ts, rowid + 1 AS seq, "
        "performer, stage "
        f"FROM {LOG_ROWS} "
        "WHERE case_id IS NOT NULL AND touchpoint IS NOT NULL AND ts IS NOT NULL "
        f"AND NOT coalesce({LONG_NAME.format(limit=limits.name)}, false)"
    )


def tally(
    con: duckdb.DuckDBPyConnection, limits: LogLimits
) -> tuple[tuple[int, int], dict[BadReason, int]]:
    """The usable rows and their distinct cases, and the rows left out per reason."""
    usable, left_out = (0, 0), {}
    for reason, rows, cases in con.execute(
        "SELECT problem, count(*), count(DISTINCT case_id) "
        f"FROM (SELECT {FIRST_REASON.format(limit=limits.name)} AS problem, case_id "
        f"FROM {LOG_ROWS}) GROUP BY problem"
    ).fetchall():
        if reason is None:
            usable = (int(rows), int(cases))
        else:
            left_out[BadReason(int(reason))] = int(rows)
    return usable, left_out


def rejected_lines(con: duckdb.DuckDBPyConnection) -> dict[int, tuple[int, str]]:
    """The lines the CSV reader refused, with the column and the reader's message."""
    return {
        int(line): (int(column), str(message))
        for line, column, message in con.execute(
            "SELECT line, coalesce(min(column_idx), 1), "
            "first(error_message ORDER BY column_idx) "
            "FROM reject_errors GROUP BY line ORDER BY line"
        ).fetchall()
    }
