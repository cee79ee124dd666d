"""Reading event logs: CSV or Parquet (gzip too), any column names, into DuckDB.

This module is the one place an event log is read. The events land in a
DuckDB table ``events(case_id, touchpoint, ts, seq)`` where ``ts`` is seconds
since the epoch and ``seq`` the row's place in the file, so that events at the
same time keep file order. Rows that cannot be used (no case, no touchpoint, a
time that is neither ISO 8601 nor epoch seconds or milliseconds) are counted
and kept as examples, never dropped silently; ``strict=True`` makes them an
error.

Why DuckDB: the log is scanned once by a vectorised, multi-threaded reader,
and discovery is a handful of window and aggregate queries over it; Polars
would do as well, but DuckDB's SQL keeps each figure one readable query, its
CSV reader takes gzip and keeps file order (``WITH ORDINALITY``), and it spills
to disk rather than running out of memory on large logs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from journeygraph.exceptions import JourneyGraphError, Location, MapError, Problem
from journeygraph.validation import did_you_mean

__all__ = ["BadRow", "Columns", "EventLog", "read_log"]

EXAMPLES_KEPT = 5
"""How many bad rows of each kind are kept as examples."""


@dataclass(frozen=True)
class Columns:
    """The names of the log's columns for the case, the touchpoint and the time."""

    case: str = "case_id"
    touchpoint: str = "touchpoint"
    time: str = "timestamp"


@dataclass(frozen=True)
class BadRow:
    """A row that could not be used, where it is and why."""

    location: Location
    reason: str

    def __str__(self) -> str:
        return f"{self.location}: {self.reason}"


@dataclass
class EventLog:
    """Events read into DuckDB, with what could not be read.

    Attributes
    ----------
    connection
        The DuckDB connection holding the ``events`` table.
    file
        The log file.
    events
        How many events were kept.
    bad
        How many rows were left out, per reason.
    examples
        Up to `EXAMPLES_KEPT` bad rows of each reason, in file order.
    line_offset
        What turns an event's ``seq`` (its row, from 1) into its line in the
        file: 1 for CSV (the header), 0 for Parquet (rows are numbered).
    """

    connection: duckdb.DuckDBPyConnection
    file: str
    events: int
    bad: dict[str, int] = field(default_factory=dict)
    examples: list[BadRow] = field(default_factory=list)
    line_offset: int = 1

    @property
    def bad_rows(self) -> int:
        """How many rows were left out."""
        return sum(self.bad.values())


# Reasons a row is left out, in the order they are checked (a row counts once).
_REASONS = (
    "no case id",
    "no touchpoint",
    "no time",
    "time is not ISO 8601 or epoch seconds/milliseconds",
)

# Seconds since the epoch from text: a number is epoch seconds, or milliseconds
# when it is too large to be seconds (after the year 5138); anything else is
# read as an ISO 8601 time, UTC unless it says otherwise.
_SECONDS = """
CASE
  WHEN TRY_CAST(w AS DOUBLE) IS NOT NULL THEN
    CASE WHEN abs(CAST(w AS DOUBLE)) >= 1e11
      THEN CAST(w AS DOUBLE) / 1000 ELSE CAST(w AS DOUBLE) END
  ELSE epoch(TRY_CAST(w AS TIMESTAMPTZ))
END
"""


def read_log(
    path: str | Path,
    *,
    columns: Columns | None = None,
    strict: bool = False,
    connection: duckdb.DuckDBPyConnection | None = None,
) -> EventLog:
    """Read an event log into DuckDB.

    Parameters
    ----------
    path
        A ``.csv``, ``.csv.gz`` or ``.parquet`` file.
    columns
        The names of the case, touchpoint and time columns.
    strict
        Raise on bad rows instead of leaving them out.
    connection
        The DuckDB connection to read into (a new in-memory one by default).

    Raises
    ------
    MapError
        When the file cannot be read, lacks a column, or (with ``strict``) has
        bad rows: each problem at ``file:line:column``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "log.csv").write_text(
    ...     "case_id,touchpoint,timestamp\\n"
    ...     "c1,ad,2024-05-01T10:00:00Z\\n"
    ...     "c1,shop,1714557600\\n"
    ...     ",shop,2024-05-01T11:00:00Z\\n")
    >>> log = read_log(folder / "log.csv")
    >>> log.events, log.bad
    (2, {'no case id': 1})
    >>> str(log.examples[0]).endswith("log.csv:4:1: no case id")
    True
    """
    columns = columns or Columns()
    file = Path(path)
    con = connection or duckdb.connect()
    source, parquet = _source(file)
    try:
        present = [row[0] for row in con.sql(f"DESCRIBE SELECT * FROM {source}").fetchall()]
    except duckdb.Error as e:
        raise MapError(
            [Problem(f"{file}: cannot be read as an event log ({_first_line(e)})")]
        ) from None
    wanted = {"--case": columns.case, "--touchpoint": columns.touchpoint, "--time": columns.time}
    missing = [
        Problem(
            f"{file}: no column {name!r} (given by {option} or its default)"
            + (did_you_mean(name, present) or f"; the columns are {', '.join(map(repr, present))}")
        )
        for option, name in wanted.items()
        if name not in present
    ]
    if missing:
        raise MapError(missing)
    position = {name: present.index(name) + 1 for name in present}
    # One pass: every row parsed, and the first reason it cannot be used, if any.
    con.execute(
        f"""
        CREATE OR REPLACE TABLE events AS
        SELECT case_id, touchpoint, ts, seq,
               CASE WHEN case_id IS NULL THEN 1 WHEN touchpoint IS NULL THEN 2
                    WHEN w IS NULL THEN 3 WHEN ts IS NULL THEN 4 END AS problem,
               CASE WHEN ts IS NULL THEN w END AS bad_time
        FROM (
          SELECT case_id, touchpoint, w, seq, {_SECONDS} AS ts
          FROM (
            SELECT nullif(trim(CAST({_quoted(columns.case)} AS VARCHAR)), '') AS case_id,
                   nullif(trim(CAST({_quoted(columns.touchpoint)} AS VARCHAR)), '') AS touchpoint,
                   nullif(trim(CAST({_quoted(columns.time)} AS VARCHAR)), '') AS w,
                   ordinality AS seq
            FROM {source} WITH ORDINALITY
          )
        )
        """
    )
    reasons = list(_REASONS)
    column_of = [
        position[columns.case],
        position[columns.touchpoint],
        *[position[columns.time]] * 2,
    ]
    counts = con.execute(
        "SELECT problem, count(*) FROM events WHERE problem IS NOT NULL GROUP BY problem"
    ).fetchall()
    bad = {reasons[int(p) - 1]: int(n) for p, n in sorted(counts)}
    examples: list[BadRow] = []
    if bad:
        rows = con.execute(
            f"""
            SELECT problem, seq, bad_time FROM (
              SELECT problem, seq, bad_time,
                     row_number() OVER (PARTITION BY problem ORDER BY seq) AS k
              FROM events WHERE problem IS NOT NULL
            ) WHERE k <= {EXAMPLES_KEPT} ORDER BY seq
            """
        ).fetchall()
        for problem, seq, raw_time in rows:
            reason = reasons[int(problem) - 1]
            # Header line 1, so row n of the data is line n + 1 (CSV); Parquet rows are numbered.
            line = int(seq) if parquet else int(seq) + 1
            said = f"{reason}: {raw_time!r}" if int(problem) == 4 else reason
            examples.append(BadRow(Location(str(file), line, column_of[int(problem) - 1]), said))
    if strict and bad:
        total = sum(bad.values())
        problems = [Problem(b.reason, b.location) for b in examples]
        if total > len(examples):
            problems.append(Problem(f"{file}: {total - len(examples)} more bad rows like these"))
        raise MapError(problems)
    if bad:
        con.execute("DELETE FROM events WHERE problem IS NOT NULL")
    kept = con.execute("SELECT count(*) FROM events").fetchone()
    events = int(kept[0]) if kept else 0
    return EventLog(con, str(file), events, bad, examples, 0 if parquet else 1)


def _source(file: Path) -> tuple[str, bool]:
    """The DuckDB table function reading ``file``, and whether it is Parquet."""
    if not file.is_file():
        raise JourneyGraphError(f"{file}: no such file; check the path")
    name = file.name.lower()
    literal = "'" + str(file).replace("'", "''") + "'"
    if name.endswith(".parquet"):
        return f"read_parquet({literal})", True
    if name.endswith((".csv", ".csv.gz", ".tsv", ".tsv.gz", ".txt", ".gz")):
        # Every column as text: times and ids are parsed here, not guessed.
        return f"read_csv({literal}, header = true, all_varchar = true)", False
    raise JourneyGraphError(f"{file}: not a CSV or Parquet file (.csv, .csv.gz, .parquet)")


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _first_line(error: BaseException) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
