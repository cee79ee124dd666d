"""Reading event logs: CSV or Parquet (gzip too), any column names, into DuckDB.

This module is the one place an event log is read. The rows land in a DuckDB
table ``log_rows``, in file order; the view ``events(case_id, touchpoint, ts,
seq)`` holds the usable ones, where ``ts`` is seconds since the epoch and
``seq`` the row's place in the file, so that events at the same time keep file
order. Rows that cannot be used (no case, no touchpoint, a
time that is neither ISO 8601 nor epoch seconds or milliseconds) are counted
and kept as examples, never dropped silently; ``strict=True`` makes them an
error.

Why DuckDB: the log is scanned once by a vectorised, multi-threaded reader,
and discovery is a handful of window and aggregate queries over it; Polars
would do as well, but DuckDB's SQL keeps each figure one readable query, its
CSV reader takes gzip and keeps file order (insertion order is preserved, so
a row's ``rowid`` is its place in the file), and it spills to disk rather than
running out of memory on large logs.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from journeygraph.evidence.reading.columns import Columns, check_columns
from journeygraph.evidence.reading.csv_source import Dialect, table_source
from journeygraph.evidence.reading.duckdb_engine import duckdb
from journeygraph.evidence.reading.limits import LogLimits, cut
from journeygraph.evidence.reading.rows import (
    FIRST_REASON,
    MALFORMED,
    BadReason,
    load,
    rejected_lines,
    tally,
)
from journeygraph.evidence.reading.segment import Segment, cases_where, check_where, keep_segment
from journeygraph.evidence.reading.session import (
    connect,
    duckdb_errors,
    first_line,
    literal,
    scratch_folder,
)
from journeygraph.evidence.reading.tables import EVENTS, LOG_NAMES, LOG_PERFORMERS, LOG_ROWS, put
from journeygraph.evidence.reading.xes_events import CSV_COLUMNS, XesLog, csv_sink
from journeygraph.exceptions import JourneyGraphError, Location, LogError, Problem, did_you_mean

# The XES and OCEL readers (with their process pool and SQLite) load only for such a log.
if TYPE_CHECKING:
    from journeygraph.evidence.reading.ocel import OcelLog

__all__ = ["EXAMPLES_KEPT", "BadRow", "EventLog", "read_log"]


EXAMPLES_KEPT = 5
"""How many bad rows of each kind are kept as examples."""


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
        The DuckDB connection holding the ``log_rows`` table and ``events`` view.
    file
        The log file.
    events
        How many events were kept.
    cases
        How many distinct cases (customers) those events belong to.
    bad
        How many rows were left out, per reason.
    examples
        Up to `EXAMPLES_KEPT` bad rows of each reason, in file order.
    dialect
        How the CSV was read (``None`` for Parquet; for XES, the lines of its
        events), to find rows' lines.
    """

    connection: duckdb.DuckDBPyConnection
    file: str
    events: int
    cases: int
    bad: dict[str, int] = field(default_factory=dict)
    examples: list[BadRow] = field(default_factory=list)
    dialect: Dialect | XesLog | None = None
    performers: bool = False
    """Whether any event says who performed it."""
    stages: bool = False
    """Whether any event gives its journey stage (`Columns.stage`)."""
    segment: Segment = field(default_factory=Segment)
    """The cases looked at (all by default)."""
    outside: tuple[int, int] = (0, 0)
    """Usable events, and their cases, left outside the segment."""
    notes: list[str] = field(default_factory=list)
    """What the reader decided that the user should know (every lifecycle kept, say)."""
    limits: LogLimits = field(default_factory=LogLimits)
    """The bounds the log was read within; discovery keeps to them too."""

    def why_empty(self) -> str:
        """Why no event is usable, as a message's end: which filter or which rows."""
        if self.segment and self.outside[0]:
            return (
                f"no case is in the segment ({self.segment.describe()}); {self.outside[1]:,} "
                "cases are outside it: widen --since, --until or --where"
            )
        if self.bad:
            reasons = cut([f"{n:,} {why}" for why, n in self.bad.items()], self.limits.problems)
            hint = (
                "see the reasons above"
                if isinstance(self.dialect, XesLog)
                else "check --case, --touchpoint and --time"
            )
            return f"no usable events: every row was left out ({reasons}); {hint}"
        return "no usable events: the log has no rows"

    @property
    def bad_rows(self) -> int:
        """How many rows were left out."""
        return sum(self.bad.values())

    def lines_of(self, seqs: Iterable[int]) -> dict[int, int]:
        """The line of the file where each row ``seq`` (from 1, in file order) starts.

        Parquet rows are numbered as they are. A CSV whose every line is one row
        maps by arithmetic; one with rows over several lines, or lines the
        reader refused, is read again up to the last row asked for.
        """
        wanted = set(seqs)
        if self.dialect is None:
            return {seq: seq for seq in wanted}
        return self.dialect.lines_of(Path(self.file), wanted)


def read_log(
    path: str | Path,
    *,
    columns: Columns | None = None,
    strict: bool = False,
    connection: duckdb.DuckDBPyConnection | None = None,
    lifecycle: str = "complete",
    names: Mapping[str, str] | None = None,
    performers: Mapping[str, str] | None = None,
    segment: Segment | None = None,
    object_type: str | None = None,
    classifier: str | None = None,
    limits: LogLimits | None = None,
) -> EventLog:
    """Read an event log into DuckDB.

    Parameters
    ----------
    path
        A ``.csv``, ``.csv.gz`` or ``.parquet`` file, an XES log (``.xes``,
        ``.xes.gz``: see `journeygraph.evidence.reading.xes`), or an OCEL 2.0 log
        (``.jsonocel``, ``.xmlocel``, ``.sqlite``, or OCEL ``.json``/``.xml``).
    columns
        The names of the case, touchpoint and time columns (an XES log names its own).
    lifecycle
        For XES: ``complete`` keeps only completed events (every one when the log
        has none, with a note in `EventLog.notes`), ``all`` every one.
    classifier
        For XES: a classifier the log declares, whose keys' values name each
        event's touchpoint (`journeygraph.evidence.reading.xes.read_xes`).
    limits
        The bounds of the read (`journeygraph.evidence.reading.limits`): past them a
        row is a bad row, or the read stops with an error saying which limit
        and how to raise it.
    object_type
        For OCEL 2.0 (`journeygraph.evidence.reading.ocel`): the object type whose
        objects are the cases (needed when the log has several).
    names, performers
        The map's touchpoint id for each log name it stands for, and the
        function of each performer (`journeygraph.evidence.reading.names`); others are
        kept as written.
    segment
        Keep only the cases of this segment (`Segment`); the others are
        counted in `EventLog.outside`.
    strict
        Raise on bad rows instead of leaving them out.
    connection
        The DuckDB connection to read into (a new in-memory one by default).

    Raises
    ------
    LogError
        When the file cannot be read, lacks a column, passes a limit, or (with
        ``strict``) has bad rows: each problem at ``file:line:column``.
    JourneyGraphError
        When DuckDB runs out of memory (saying the log's size).
    KeyboardInterrupt
        When a query is interrupted (DuckDB's own exception, turned into Python's).

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
    >>> log.events, log.cases, log.bad
    (2, 1, {'no case id': 1})
    >>> str(log.examples[0]).endswith("log.csv:4:1: no case id")
    True
    """
    options = _Options(
        columns or Columns(),
        strict,
        lifecycle,
        names,
        performers,
        segment or Segment(),
        object_type,
        classifier,
        limits or LogLimits(),
    )
    file = Path(path)
    with duckdb_errors(file):
        if _is_events(file):
            return _read_events(file, options, connection)
        return _read_table(file, options, connection)


_TABLE_SUFFIXES = (".csv", ".csv.gz", ".tsv", ".tsv.gz", ".txt", ".parquet")
"""Names of table logs (no OCEL log is named so, nor looked into)."""


def _is_events(file: Path) -> bool:
    """Whether ``file`` is an XES or OCEL log, read event by event."""
    name = file.name.lower()
    if name.endswith((".xes", ".xes.gz")):
        return True
    if name.endswith(_TABLE_SUFFIXES):
        return False
    from journeygraph.evidence.reading.ocel import is_ocel

    return is_ocel(file)


def _is_ocel(file: Path) -> bool:
    """Whether ``file`` is an OCEL log; one named as XES is not (nor is OCEL's reader loaded)."""
    if file.name.lower().endswith((".xes", ".xes.gz")):
        return False
    from journeygraph.evidence.reading.ocel import is_ocel

    return is_ocel(file)


@dataclass(frozen=True)
class _Options:
    """What `read_log` was asked (its docstring says what each means)."""

    columns: Columns
    strict: bool
    lifecycle: str
    names: Mapping[str, str] | None
    performers: Mapping[str, str] | None
    segment: Segment
    object_type: str | None
    classifier: str | None
    limits: LogLimits


def _read_events(
    file: Path, options: _Options, connection: duckdb.DuckDBPyConnection | None
) -> EventLog:
    """Read an XES or OCEL log: its events written as a CSV, then read like any log."""
    segment = options.segment
    if _is_ocel(file) and not file.exists():
        raise JourneyGraphError(f"{file}: no such file; check the path")
    with scratch_folder() as folder:
        xes, parts = _events_as_csv(file, folder, options)
        # Connected once the XES is read: DuckDB's threads do not meet its workers.
        con = connect(connection)
        _check_stage(file, xes, options)
        columns = Columns(
            performer="performer", stage="stage" if options.columns.stage is not None else None
        )
        load(con, _written_source(parts, options.limits), columns, options.limits)
    _rename(con, options.names, options.performers)
    if xes.matching is not None:
        check_where(file, segment, sorted(xes.keys), "attribute", options.limits)
    log = _finish(con, file, columns, list(CSV_COLUMNS), xes, options)
    _keep_segment(con, log, segment, xes.matching)
    # Events of other lifecycle transitions are left out on purpose, never unsaid.
    for transition, n in sorted(xes.skipped.items()):
        log.bad[f"lifecycle {transition!r} (--lifecycle all keeps them)"] = n
    log.notes.extend(xes.notes)
    return log


def _events_as_csv(file: Path, folder: Path, options: _Options) -> tuple[XesLog, list[Path]]:
    """An XES or OCEL log's events as CSV files in ``folder`` DuckDB reads like any log
    (their lines point into ``file``), and the log without its rows."""
    from journeygraph.evidence.reading.xes import write_csv

    columns, where = options.columns, options.segment.where
    if _is_ocel(file):
        from journeygraph.evidence.reading.ocel import read_ocel

        ocel = read_ocel(
            file,
            object_type=options.object_type,
            performer=columns.performer,
            stage=columns.stage,
            where=where,
            limits=options.limits,
        )
        return ocel, [_write_ocel(ocel, folder / "events.csv", options.limits)]
    return write_csv(
        file,
        folder,
        lifecycle=options.lifecycle,
        where=where,
        stage=columns.stage,
        classifier=options.classifier,
        limits=options.limits,
    )


def _check_stage(file: Path, xes: XesLog, options: _Options) -> None:
    """Raise when ``--stage`` names an event attribute the log does not have."""
    stage = options.columns.stage
    if stage is None or not xes.keys_seen or stage in xes.keys_seen:
        return
    known = sorted(xes.keys_seen)
    raise LogError(
        [
            Problem(
                f"{file}: no event attribute {stage!r} to read stages from (--stage)"
                + (
                    did_you_mean(stage, known)
                    or f"; the attributes are {cut(known, options.limits.problems)}"
                )
            )
        ]
    )


def _written_source(parts: list[Path], limits: LogLimits) -> str:
    """The DuckDB table function reading the CSV files written of an XES or OCEL log."""
    # The files are ours: their dialect is known, not sniffed; read in order.
    types = ", ".join(f"{literal(n)}: 'VARCHAR'" for n in CSV_COLUMNS)
    files = ", ".join(literal(str(p)) for p in parts)
    # No written line passes the value limit (a row that would is left out, at
    # its line of the log); quotes doubled and UTF-8 may make it longer.
    longest = 8 * limits.value + (1 << 16)
    from journeygraph.evidence.reading.xes import SCANNED

    if [p.name for p in parts] == [SCANNED]:
        return _scanned_source(files, longest)
    return (
        f"read_csv([{files}], auto_detect = false, header = true, "
        f"delim = ',', quote = '\"', escape = '\"', columns = {{{types}}}, "
        f"max_line_size = {longest}, buffer_size = {2 * longest})"
    )


def _scanned_source(files: str, longest: int) -> str:
    """The rows of `CSV_COLUMNS` read from the tab-separated file of a scanned XES log
    (`journeygraph.evidence.reading.xes_scan`): no quoting, no value with a tab or line
    break; a given resource and transition end with a ``"``."""
    from journeygraph.evidence.reading.xes_scan import SCAN_COLUMNS

    types = ", ".join(f"{literal(n)}: 'VARCHAR'" for n in SCAN_COLUMNS)
    resource, lifecycle = (f"substr({c}, 1, length({c}) - 1)" for c in ("resource", "lifecycle"))
    return (
        f"(SELECT case_id, touchpoint, timestamp, {resource} AS resource, "
        f'"group", {lifecycle} AS lifecycle, NULL::VARCHAR AS stage, '
        f'CASE WHEN resource IS NULL THEN "group" ELSE {resource} END '
        f"AS performer FROM read_csv([{files}], auto_detect = false, header = false, "
        f"delim = '\t', quote = '', escape = '', columns = {{{types}}}, "
        f"max_line_size = {longest}, buffer_size = {2 * longest}))"
    )


def _write_ocel(xes: OcelLog, out: Path, limits: LogLimits) -> Path:
    """Write an OCEL log's rows as a CSV; rows over the value limit are left out in ``xes``."""
    kept = []
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_COLUMNS)
        sink = csv_sink(writer, xes, limits)
        kept = [k for k, (row, line) in enumerate(zip(xes.rows, xes.lines, strict=True))
                if sink(list(row), line)]  # fmt: skip
    if len(kept) < len(xes.rows):
        xes.keep_only(kept)
    return out


def _read_table(
    file: Path, options: _Options, connection: duckdb.DuckDBPyConnection | None
) -> EventLog:
    """Read a CSV or Parquet log."""
    columns, segment = options.columns, options.segment
    con = connect(connection)
    try:
        source, dialect, present = table_source(con, file, columns, options.limits)
    except duckdb.Error as e:
        if isinstance(e, duckdb.OutOfMemoryException | duckdb.InterruptException):
            raise
        raise LogError(
            [Problem(f"{file}: cannot be read as an event log ({first_line(e)})")]
        ) from None
    check_columns(file, columns, present, None if dialect is None else dialect.skip, options.limits)
    load(con, source, columns, options.limits)
    _rename(con, options.names, options.performers)
    matching = None
    if segment.where:
        check_where(file, segment, present, "column", options.limits)
        matching = cases_where(con, source, columns, segment)
    log = _finish(con, file, columns, present, dialect, options)
    _keep_segment(con, log, segment, matching)
    return log


def _keep_segment(
    con: duckdb.DuckDBPyConnection, log: EventLog, segment: Segment, matching: set[str] | None
) -> None:
    """Keep only the segment's cases; count in ``log`` what is left outside."""
    if not segment:
        return
    log.segment = segment
    events, cases = keep_segment(con, segment, matching)
    log.outside = (log.events - events, log.cases - cases)
    log.events, log.cases = events, cases


def _rename(
    con: duckdb.DuckDBPyConnection,
    names: Mapping[str, str] | None,
    performers: Mapping[str, str] | None,
) -> None:
    """Replace the log's names by the map ids they stand for."""
    for table, column, given in (
        (LOG_NAMES, "touchpoint", names),
        (LOG_PERFORMERS, "performer", performers),
    ):
        if not given:
            continue
        put(con, table, sorted(given.items()))
        key, value = (name for name, _ in table.columns)
        con.execute(
            f"UPDATE {LOG_ROWS} SET {column} = n.{value} FROM {table.name} n "
            f"WHERE {LOG_ROWS}.{column} = n.{key}"
        )


def _finish(
    con: duckdb.DuckDBPyConnection,
    file: Path,
    columns: Columns,
    present: list[str],
    dialect: Dialect | XesLog | None,
    options: _Options,
) -> EventLog:
    """Count what was read, locate the rows left out, and stop on them when ``strict``."""
    limits = options.limits
    (events, cases), counts = tally(con, limits)
    bad = {reason.text: n for reason, n in sorted(counts.items())}
    rejected = rejected_lines(con) if isinstance(dialect, Dialect) else {}
    if isinstance(dialect, Dialect):
        rows_read = events + sum(counts.values())
        # Lines too long to be rows, wherever DuckDB said nothing of them.
        for line, length in dialect.long.items():
            rejected.setdefault(
                line,
                (
                    1,
                    f"a line of {length:,} bytes, over the limit of "
                    f"{limits.describe('value')} ({limits.hint('value')})",
                ),
            )
        rejected = dict(sorted(rejected.items()))
        dialect = replace(dialect, rows=rows_read, rejected=frozenset(rejected))
    # An XES event is found by its line; the CSV's columns mean nothing there.
    xes = isinstance(dialect, XesLog)
    position = {name: 1 if xes else present.index(name) + 1 for name in present}
    examples = _examples(con, file, dialect, columns, position, limits) if bad else []
    if isinstance(dialect, XesLog) and dialect.dropped:
        bad.update(dialect.dropped)
        examples += _dropped_examples(file, dialect)
        examples.sort(key=lambda b: b.location)
    if rejected:
        bad[MALFORMED] = len(rejected)
        for line, (column, message) in list(rejected.items())[:EXAMPLES_KEPT]:
            detail = " ".join(message.split())
            examples.append(BadRow(Location(str(file), line, column), f"{MALFORMED}: {detail}"))
        examples.sort(key=lambda b: b.location)
    if options.strict and bad:
        total = sum(bad.values())
        problems = [Problem(b.reason, b.location) for b in examples]
        if total > len(examples):
            problems.append(Problem(f"{file}: {total - len(examples)} more bad rows like these"))
        raise LogError(problems)
    said = con.execute(f"SELECT 1 FROM {EVENTS} WHERE performer IS NOT NULL LIMIT 1").fetchone()
    log = EventLog(con, str(file), events, cases, bad, examples, dialect, said is not None)
    log.limits = limits
    if columns.stage is not None:
        staged = con.execute(f"SELECT 1 FROM {EVENTS} WHERE stage IS NOT NULL LIMIT 1").fetchone()
        log.stages = staged is not None
    return log


def _dropped_examples(file: Path, xes: XesLog) -> list[BadRow]:
    """The first few events an XES or OCEL reader left out, per reason, at their lines."""
    shown: dict[str, int] = {}
    examples = []
    for line, column, detail in sorted(xes.dropped_at):
        reason = next((r for r in xes.dropped if detail.startswith(r)), detail)
        shown[reason] = shown.get(reason, 0) + 1
        if shown[reason] <= EXAMPLES_KEPT:
            examples.append(BadRow(Location(str(file), line, column), detail))
    return examples


def _examples(
    con: duckdb.DuckDBPyConnection,
    file: Path,
    dialect: Dialect | XesLog | None,
    columns: Columns,
    position: dict[str, int],
    limits: LogLimits,
) -> list[BadRow]:
    """The first `EXAMPLES_KEPT` rows left out for each reason, located in the file."""
    column_of = {
        BadReason.NO_CASE: position[columns.case],
        BadReason.NO_TOUCHPOINT: position[columns.touchpoint],
        BadReason.NO_TIME: position[columns.time],
        BadReason.BAD_TIME: position[columns.time],
        BadReason.LONG_NAME: position[columns.touchpoint],
    }
    first = FIRST_REASON.format(limit=limits.name)
    rows = con.execute(
        f"""
        SELECT problem, seq, bad_time FROM (
          SELECT problem, seq, bad_time,
                 row_number() OVER (PARTITION BY problem ORDER BY seq) AS k
          FROM (SELECT {first} AS problem, rowid + 1 AS seq, bad_time FROM {LOG_ROWS})
          WHERE problem IS NOT NULL
        ) WHERE k <= {EXAMPLES_KEPT} ORDER BY seq
        """
    ).fetchall()
    seqs = {int(seq) for _, seq, _ in rows}
    lines = {seq: seq for seq in seqs} if dialect is None else dialect.lines_of(file, seqs)
    examples = []
    for number, seq, raw_time in rows:
        reason = BadReason(int(number))
        said = f"{reason.text}: {raw_time!r}" if reason is BadReason.BAD_TIME else reason.text
        where = Location(str(file), lines.get(int(seq), 0), column_of[reason])
        examples.append(BadRow(where, said))
    return examples
