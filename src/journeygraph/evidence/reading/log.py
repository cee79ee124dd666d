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

import atexit
import contextlib
import csv
import gzip
import os
import secrets
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from enum import IntEnum
from pathlib import Path
from types import FrameType
from typing import IO

import duckdb

from journeygraph.evidence.reading.guard import long_lines
from journeygraph.evidence.reading.limits import VALUE_BYTES, LogLimits, cut
from journeygraph.evidence.reading.ocel import OcelLog, is_ocel, read_ocel
from journeygraph.evidence.reading.tables import (
    EVENTS,
    LOG_NAMES,
    LOG_PERFORMERS,
    LOG_ROWS,
    SEGMENT_CASES,
    SEGMENT_EVENTS,
    put,
)
from journeygraph.evidence.reading.xes import write_csv
from journeygraph.evidence.reading.xes_events import CSV_COLUMNS, XesLog, csv_sink
from journeygraph.exceptions import (
    JourneyGraphError,
    Location,
    LogError,
    Problem,
    did_you_mean,
)

__all__ = ["MALFORMED", "BadReason", "BadRow", "Columns", "EventLog", "Segment", "read_log"]

EXAMPLES_KEPT = 5
"""How many bad rows of each kind are kept as examples."""


@dataclass(frozen=True)
class Columns:
    """The names of the log's columns for the case, the touchpoint and the time."""

    case: str = "case_id"
    touchpoint: str = "touchpoint"
    time: str = "timestamp"
    performer: str | None = None
    """Who performed the event (a person or a team); none by default."""
    stage: str | None = None
    """The journey stage of the event, where the log gives one; none by default."""


@dataclass(frozen=True)
class Segment:
    """The cases to look at: those that start in a period, or carry an attribute's value.

    A case is in the segment when its first event is at or after ``since`` and
    before ``until`` (seconds since the epoch), and every ``(attribute, value)``
    of ``where`` holds on it: for XES, on the trace or on any of its events;
    for CSV and Parquet, in that column on any of its rows.
    """

    since: float | None = None
    until: float | None = None
    where: tuple[tuple[str, str], ...] = ()

    def __bool__(self) -> bool:
        return self.since is not None or self.until is not None or bool(self.where)

    def describe(self) -> str:
        """The segment in words.

        Examples
        --------
        >>> Segment(since=0.0, where=(("channel", "web"),)).describe()
        'cases that started from 1970-01-01 00:00 UTC, where channel=web'
        """
        import datetime as dt

        def day(seconds: float) -> str:
            return dt.datetime.fromtimestamp(seconds, dt.UTC).strftime("%Y-%m-%d %H:%M UTC")

        parts = []
        if self.since is not None or self.until is not None:
            parts.append(
                "cases that started"
                + (f" from {day(self.since)}" if self.since is not None else "")
                + (f" before {day(self.until)}" if self.until is not None else "")
            )
        else:
            parts.append("cases")
        if self.where:
            parts.append("where " + " and ".join(f"{k}={v}" for k, v in self.where))
        return ", ".join(parts)


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
    dialect: _Dialect | XesLog | None = None
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


@dataclass(frozen=True)
class _Dialect:
    """What the CSV reader was told of a file, and what it refused."""

    delimiter: str
    quote: str
    skip: int
    rows: int = 0
    """How many rows the reader took."""
    rejected: frozenset[int] = frozenset()
    """The lines the reader refused."""
    long: dict[int, int] = field(default_factory=dict)
    """The lines longer than a row may be, with their lengths."""

    def lines_of(self, file: Path, wanted: set[int]) -> dict[int, int]:
        header = self.skip + 1
        if not wanted:
            return {}
        # Rows near the top (a touchpoint's first event, usually) are found by
        # reading that far; for rows further down, when every line after the
        # header is one row and none was refused, arithmetic will do.
        if (
            max(wanted) > _SCAN_ROWS
            and not self.rejected
            and _count_lines(file) == self.rows + header
        ):
            return {seq: seq + header for seq in wanted}
        found: dict[int, int] = {}
        last = max(wanted)
        # DuckDB takes cells of up to 2 MB; Python's reader stops at 128 KB unless told.
        limit = csv.field_size_limit(_MAX_CELL)
        try:
            with _open_text(file) as handle:
                for _ in range(self.skip):
                    handle.readline()
                reader = csv.reader(handle, delimiter=self.delimiter, quotechar=self.quote or '"')
                next(reader, None)
                seq, start = 0, reader.line_num + self.skip + 1
                for _ in reader:
                    if start not in self.rejected:
                        seq += 1
                        if seq in wanted:
                            found[seq] = start
                        if seq >= last:
                            break
                    start = reader.line_num + self.skip + 1
        except csv.Error:
            # Python's reader and DuckDB's disagree on this file: for the rows not
            # reached, the line the row would have were every row one line.
            found |= {seq: seq + header for seq in wanted if seq not in found}
        finally:
            csv.field_size_limit(limit)
        return found


_MAX_CELL = 1 << 30
_SCAN_ROWS = 50_000
"""Up to this row, a row's line is found by reading the file that far (about 50 ms)."""


def _open_text(file: Path) -> IO[str]:
    if file.name.lower().endswith(".gz"):
        return gzip.open(file, "rt", encoding="utf-8", errors="replace", newline="")
    return file.open(encoding="utf-8", errors="replace", newline="")


def _count_lines(file: Path) -> int:
    """How many lines ``file`` has (a last line without a line break counts)."""
    opener = gzip.open if file.name.lower().endswith(".gz") else open
    count, last = 0, b"\n"
    with opener(file, "rb") as handle:
        while chunk := handle.read(1 << 22):
            count += chunk.count(b"\n")
            last = chunk[-1:]
    return count + (last != b"\n")


class BadReason(IntEnum):
    """Why a row is left out, in the order they are checked (a row counts once).

    The values are what the SQL that sorts rows (:data:`_FIRST_REASON`) yields.
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
_LONG_NAME = "greatest(length(touchpoint), length(performer), length(stage)) > {limit:d}"
_FIRST_REASON = f"""CASE WHEN case_id IS NULL THEN {BadReason.NO_CASE:d}
    WHEN touchpoint IS NULL THEN {BadReason.NO_TOUCHPOINT:d}
    WHEN ts IS NULL AND bad_time IS NULL THEN {BadReason.NO_TIME:d}
    WHEN ts IS NULL THEN {BadReason.BAD_TIME:d}
    WHEN {_LONG_NAME} THEN {BadReason.LONG_NAME:d} END"""
MALFORMED = "not a row of the CSV's columns"
"""The reason for lines the CSV reader refused (too many or too few columns, say)."""

# Epoch seconds journeygraph takes as times: from 1900 to 2200. Beyond them (or
# inf and nan) a number is not a time of a customer's visit.
_EARLIEST, _LATEST = -2_208_988_800, 7_258_118_400


def _iso(text: str) -> str:
    """Seconds since the epoch of an ISO 8601 time (UTC unless it says otherwise)."""
    return f"epoch(TRY_CAST({text} AS TIMESTAMPTZ))"


def _text(column: str) -> str:
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
        if is_ocel(file) or file.name.lower().endswith((".xes", ".xes.gz")):
            return _read_events(file, options, connection)
        return _read_table(file, options, connection)


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
    columns, segment = options.columns, options.segment
    if is_ocel(file) and not file.exists():
        raise JourneyGraphError(f"{file}: no such file; check the path")
    with _scratch_folder() as folder:
        # The events as a CSV DuckDB reads like any log; lines point into the file.
        if is_ocel(file):
            ocel = read_ocel(
                file,
                object_type=options.object_type,
                performer=columns.performer,
                stage=columns.stage,
                where=segment.where,
                limits=options.limits,
            )
            parts = [_write_ocel(ocel, folder / "events.csv", options.limits)]
            xes: XesLog = ocel
        else:
            xes, parts = write_csv(
                file,
                folder,
                lifecycle=options.lifecycle,
                where=segment.where,
                stage=columns.stage,
                classifier=options.classifier,
                limits=options.limits,
            )
        # Connected only now: the XES may be read by forked processes, which
        # must not inherit DuckDB's threads.
        con = _connect(connection)
        if columns.stage is not None and xes.keys_seen and columns.stage not in xes.keys_seen:
            known = sorted(xes.keys_seen)
            raise LogError(
                [
                    Problem(
                        f"{file}: no event attribute {columns.stage!r} to read stages from "
                        "(--stage)"
                        + (
                            did_you_mean(columns.stage, known)
                            or f"; the attributes are {cut(known, options.limits.problems)}"
                        )
                    )
                ]
            )
        # The files are ours: their dialect is known, not sniffed; read in order.
        present = list(CSV_COLUMNS)
        types = ", ".join(f"{_literal(n)}: 'VARCHAR'" for n in present)
        files = ", ".join(_literal(str(p)) for p in parts)
        # No written line passes the value limit (a row that would is left out, at
        # its line of the log); quotes doubled and UTF-8 may make it longer.
        longest = 8 * options.limits.value + (1 << 16)
        source = (
            f"read_csv([{files}], auto_detect = false, header = true, "
            f"delim = ',', quote = '\"', escape = '\"', columns = {{{types}}}, "
            f"max_line_size = {longest}, buffer_size = {2 * longest})"
        )
        columns = Columns(
            performer="performer", stage="stage" if columns.stage is not None else None
        )
        _load(con, source, columns, options.limits)
    _rename(con, options.names, options.performers)
    if xes.matching is not None:
        _check_where(file, segment, sorted(xes.keys), "attribute", options.limits)
    log = _finish(con, file, columns, present, xes, options)
    _segment(con, log, segment, xes.matching)
    # Events of other lifecycle transitions are left out on purpose, never unsaid.
    for transition, n in sorted(xes.skipped.items()):
        log.bad[f"lifecycle {transition!r} (--lifecycle all keeps them)"] = n
    log.notes.extend(xes.notes)
    return log


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
    con = _connect(connection)
    try:
        source, dialect, present = _source(con, file, columns, options.limits)
    except duckdb.Error as e:
        if isinstance(e, duckdb.OutOfMemoryException | duckdb.InterruptException):
            raise
        raise LogError(
            [Problem(f"{file}: cannot be read as an event log ({_first_line(e)})")]
        ) from None
    _check_columns(file, columns, present, dialect, options.limits)
    _load(con, source, columns, options.limits)
    _rename(con, options.names, options.performers)
    matching = None
    if segment.where:
        _check_where(file, segment, present, "column", options.limits)
        matching = _where(con, source, columns, segment)
    log = _finish(con, file, columns, present, dialect, options)
    _segment(con, log, segment, matching)
    return log


@contextlib.contextmanager
def duckdb_errors(file: str | Path) -> Iterator[None]:
    """Turn DuckDB running out of memory into an error saying so (with the log's size),
    and a query interrupted (Ctrl-C) into the `KeyboardInterrupt` it is."""
    try:
        yield
    except duckdb.InterruptException:
        raise KeyboardInterrupt from None
    except RuntimeError as err:
        # Ctrl-C while a query runs: DuckDB stops it and raises this, not KeyboardInterrupt.
        if str(err) == "Query interrupted":
            raise KeyboardInterrupt from None
        raise
    except duckdb.OutOfMemoryException as err:
        path = Path(file)
        size = f"{path.stat().st_size / 1e6:,.1f} MB" if path.is_file() else "its size unknown"
        raise JourneyGraphError(
            f"{file}: the log ({size}) needs more memory than is available here "
            f"({_first_line(err)}); run on a machine with more memory, or on part of the "
            "log (--since, --until, --where)"
        ) from None


_TERMINATING = (signal.SIGTERM, signal.SIGHUP) if hasattr(signal, "SIGHUP") else (signal.SIGTERM,)


_REMOVED_ON_TERMINATION: list[Path] = []
"""Folders of ours a termination signal removes before the process ends."""


def _remove_and_end(signum: int, frame: FrameType | None) -> None:
    for made in [*_REMOVED_ON_TERMINATION, *_SPILL]:
        shutil.rmtree(made, ignore_errors=True)
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


def _remove_on_termination() -> None:
    """Have SIGTERM and SIGHUP remove our folders (at any moment, not only during a read),
    then end the process as the signal asks; a handler the application set is kept."""
    if threading.current_thread() is not threading.main_thread():
        return
    for terminating in _TERMINATING:
        if signal.getsignal(terminating) == signal.SIG_DFL:
            signal.signal(terminating, _remove_and_end)


@contextlib.contextmanager
def _scratch_folder() -> Iterator[Path]:
    """A temporary folder, removed however the read ends: an error, Ctrl-C, or a
    termination signal (SIGTERM, SIGHUP), after which the process ends as the signal
    asks."""
    # Listed for the handler before it exists, and the handler set before that: a
    # signal at any instant finds the folder named (removing one never made is nothing).
    _remove_on_termination()
    folder = Path(tempfile.gettempdir()) / f"journeygraph-log-{secrets.token_hex(8)}"
    _REMOVED_ON_TERMINATION.append(folder)
    try:
        folder.mkdir(mode=0o700)
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        _REMOVED_ON_TERMINATION.remove(folder)


def _connect(connection: duckdb.DuckDBPyConnection | None) -> duckdb.DuckDBPyConnection:
    con = connection or duckdb.connect()
    # DuckDB draws its own progress bar on stdout for long queries, which would
    # land in the middle of JSON or CSV written there.
    con.execute("SET enable_progress_bar = false")
    if connection is None:
        # A large log spills to disk: into a folder of ours, removed when the
        # process ends, rather than DuckDB's default `.tmp` in the user's folder.
        con.execute(f"SET temp_directory = {_literal(str(spill_folder()))}")
    return con


_SPILL: list[Path] = []


def spill_folder() -> Path:
    """The folder DuckDB spills to in this process, made once and removed at exit and
    by a termination signal, whenever it comes."""
    if not _SPILL:
        folder = Path(tempfile.mkdtemp(prefix="journeygraph-spill-"))
        atexit.register(shutil.rmtree, folder, True)
        _SPILL.append(folder)
        _remove_on_termination()  # a SIGTERM after the read removes it too
    return _SPILL[0]


def _check_where(
    file: Path, segment: Segment, known: list[str], kind: str, limits: LogLimits
) -> None:
    """Raise naming each ``--where`` attribute the log does not have."""
    listed = cut(list(map(repr, known)), limits.problems)
    missing = [
        Problem(
            f"{file}: no {kind} {key!r} to select cases by (--where)"
            + (_close(key, known) or f"; the {kind}s are {listed}")
        )
        for key, _ in segment.where
        if key not in known
    ]
    if missing:
        raise LogError(missing)


def _where(
    con: duckdb.DuckDBPyConnection, source: str, columns: Columns, segment: Segment
) -> set[str]:
    """The cases of a CSV or Parquet log with every ``--where`` value on one of their rows."""
    case = _text(_quoted(columns.case))
    found: set[str] | None = None
    for key, value in segment.where:
        rows = con.execute(
            f"SELECT DISTINCT {case} FROM {source} WHERE {_text(_quoted(key))} = ?", [value]
        ).fetchall()
        these = {str(c) for (c,) in rows if c is not None}
        found = these if found is None else found & these
    return found or set()


def _segment(
    con: duckdb.DuckDBPyConnection, log: EventLog, segment: Segment, matching: set[str] | None
) -> None:
    """Keep only the segment's cases in `EVENTS`; count what is left outside."""
    if not segment:
        return
    log.segment = segment
    put(con, SEGMENT_CASES, [(c,) for c in sorted(matching)] if matching is not None else [])
    conditions = []
    if matching is not None:
        conditions.append(f"case_id IN (SELECT case_id FROM {SEGMENT_CASES})")
    started = []
    if segment.since is not None:
        started.append(f"min(ts) >= {float(segment.since)!r}")
    if segment.until is not None:
        started.append(f"min(ts) < {float(segment.until)!r}")
    if started:
        conditions.append(
            f"case_id IN (SELECT case_id FROM {EVENTS} GROUP BY case_id "
            f"HAVING {' AND '.join(started)})"
        )
    kept = f"""SELECT * FROM {EVENTS} WHERE {" AND ".join(conditions)}"""
    # The view is redefined over the rows, with the segment's cases only.
    con.execute(f"CREATE OR REPLACE TEMP TABLE {SEGMENT_EVENTS} AS {kept}")
    con.execute(f"CREATE OR REPLACE VIEW {EVENTS} AS SELECT * FROM {SEGMENT_EVENTS}")
    row = con.execute(f"SELECT count(*), count(DISTINCT case_id) FROM {EVENTS}").fetchone()
    events, cases = (int(row[0]), int(row[1])) if row else (0, 0)
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
    dialect: _Dialect | XesLog | None,
    options: _Options,
) -> EventLog:
    """Count what was read, locate the rows left out, and stop on them when ``strict``."""
    limits = options.limits
    (events, cases), counts = _tally(con, limits)
    bad = {reason.text: n for reason, n in sorted(counts.items())}
    rejected = _rejected(con) if isinstance(dialect, _Dialect) else {}
    if isinstance(dialect, _Dialect):
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


def _close(name: str, known: list[str]) -> str:
    """A did-you-mean among ``known``; among very many, only an exact match of case."""
    if len(known) > _CLOSE_AMONG:
        folded = name.casefold()
        same = next((k for k in known if k.casefold() == folded), None)
        return f"; did you mean {same!r}?" if same is not None else ""
    return did_you_mean(name, known)


_CLOSE_AMONG = 1_000
"""Past this many names, a did-you-mean only matches case (difflib is slow on many)."""


def _check_columns(
    file: Path,
    columns: Columns,
    present: list[str],
    dialect: _Dialect | None,
    limits: LogLimits,
) -> None:
    """Raise naming every column of ``columns`` the log lacks, with a did-you-mean."""
    wanted = {"--case": columns.case, "--touchpoint": columns.touchpoint, "--time": columns.time}
    if columns.performer is not None:
        wanted["--performer"] = columns.performer
    if columns.stage is not None:
        wanted["--stage"] = columns.stage
    listed = cut(list(map(repr, present)), limits.problems)
    missing = [
        Problem(
            f"{file}: no column {name!r} (given by {option} or its default)"
            + (_close(name, present) or f"; the columns are {listed}")
        )
        for option, name in wanted.items()
        if name not in present
    ]
    # None of them there: the line read as the header is likely not the header.
    if missing and dialect is not None and not set(wanted.values()) & set(present):
        missing.append(
            Problem(
                f"{file}: no line of the first {_HEADER_LINES} names the columns wanted, so "
                f"line {dialect.skip + 1} was read as the header; if the header is another "
                "line, remove the lines above it, or name the columns with --case, "
                "--touchpoint and --time"
            )
        )
    if missing:
        raise LogError(missing)


def _load(con: duckdb.DuckDBPyConnection, source: str, columns: Columns, limits: LogLimits) -> None:
    """Read every row into `LOG_ROWS` in one pass, and define the `EVENTS` view."""
    case, touchpoint, time = (_quoted(c) for c in (columns.case, columns.touchpoint, columns.time))
    performer = "NULL::VARCHAR" if columns.performer is None else _text(_quoted(columns.performer))
    stage = "NULL::VARCHAR" if columns.stage is None else _text(_quoted(columns.stage))
    # Times are parsed in the form the log starts with; the rows the other form
    # reads are fixed afterwards, so a log mixing both costs one parse, not two.
    first = con.execute(
        f"SELECT TRY_CAST(w AS DOUBLE) IS NOT NULL FROM (SELECT {_text(time)} AS w "
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
            SELECT {_text(case)} AS case_id, {_text(touchpoint)} AS touchpoint,
                   {_text(time)} AS w, {performer} AS performer, {stage} AS stage
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
        f"AND NOT coalesce({_LONG_NAME.format(limit=limits.name)}, false)"
    )


def _tally(
    con: duckdb.DuckDBPyConnection, limits: LogLimits
) -> tuple[tuple[int, int], dict[BadReason, int]]:
    """The usable rows and their distinct cases, and the rows left out per reason."""
    usable, left_out = (0, 0), {}
    for reason, rows, cases in con.execute(
        "SELECT problem, count(*), count(DISTINCT case_id) "
        f"FROM (SELECT {_FIRST_REASON.format(limit=limits.name)} AS problem, case_id "
        f"FROM {LOG_ROWS}) GROUP BY problem"
    ).fetchall():
        if reason is None:
            usable = (int(rows), int(cases))
        else:
            left_out[BadReason(int(reason))] = int(rows)
    return usable, left_out


def _rejected(con: duckdb.DuckDBPyConnection) -> dict[int, tuple[int, str]]:
    """The lines the CSV reader refused, with the column and the reader's message."""
    return {
        int(line): (int(column), str(message))
        for line, column, message in con.execute(
            "SELECT line, coalesce(min(column_idx), 1), "
            "first(error_message ORDER BY column_idx) "
            "FROM reject_errors GROUP BY line ORDER BY line"
        ).fetchall()
    }


def _examples(
    con: duckdb.DuckDBPyConnection,
    file: Path,
    dialect: _Dialect | XesLog | None,
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
    first = _FIRST_REASON.format(limit=limits.name)
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


def _source(
    con: duckdb.DuckDBPyConnection, file: Path, columns: Columns, limits: LogLimits
) -> tuple[str, _Dialect | None, list[str]]:
    """The DuckDB table function reading ``file``, its CSV dialect (none for Parquet), and
    its columns."""
    if file.is_dir():
        raise JourneyGraphError(f"{file}: is a folder; give the log file in it")
    if not file.is_file():
        raise JourneyGraphError(f"{file}: no such file; check the path")
    name = file.name.lower()
    literal = _literal(str(file))
    if name.endswith(".parquet"):
        source = f"read_parquet({literal})"
        return source, None, [r[0] for r in con.sql(f"DESCRIBE SELECT * FROM {source}").fetchall()]
    if not name.endswith((".csv", ".csv.gz", ".tsv", ".tsv.gz", ".txt", ".gz")):
        raise JourneyGraphError(
            f"{file}: not an event log journeygraph reads (.csv, .csv.gz, .parquet, .xes, "
            ".xes.gz, OCEL 2.0 .jsonocel, .xmlocel, .sqlite)"
        )
    # One pass over the bytes, within the limits (a gzip bomb stops here), finds
    # the lines too long to be rows: DuckDB drops some of those without a word.
    long = long_lines(file, limits)
    if _is_empty(file):
        raise JourneyGraphError(
            f"{file}: the file is empty; an event log has a header row (case_id,touchpoint,"
            "timestamp by default) and a row per event"
        )
    # The dialect is sniffed once and then given, so the file is not sniffed
    # again by every query that reads it; every column is text, so times and
    # ids are parsed here, not guessed.
    wanted = [columns.case, columns.touchpoint, columns.time]
    if _header(file, wanted, ",") is None:
        first = _first_cells(file)
        if len(first) > _SNIFF_COLUMNS:
            # Not worth DuckDB's sniffing (minutes and gigabytes at 200,000 columns):
            # the columns wanted are in none of the first lines.
            _check_columns(file, columns, first, _Dialect(",", '"', 0), limits)
    found = con.execute(
        "SELECT Delimiter, Quote, Escape, NewLineDelimiter, Comment, SkipRows, Columns "
        "FROM sniff_csv(?, header = true, all_varchar = true, max_line_size = 1 << 27)",
        [str(file)],
    ).fetchone()
    assert found is not None  # sniff_csv answers one row or raises
    delimiter, quote, escape, new_line, comment, skip, fields = found
    present = [f["name"] for f in fields]
    # The sniffer guesses from a sample, and one short row or a comment above the
    # header can fool it: the line that names the columns wanted is the header.
    header = _header(file, wanted, delimiter)
    if header is not None and (header[0], header[1]) != (int(skip), delimiter):
        skip, same = header[0], header[1] == delimiter
        delimiter, present = header[1], _unique(header[2])
        if not same:
            quote, escape = '"', '"'
    types = ", ".join(f"{_literal(n)}: 'VARCHAR'" for n in present)
    options = {"delim": delimiter, "quote": quote, "escape": escape, "new_line": new_line}
    given = ", ".join(f"{k} = {_literal('' if v == '(empty)' else v)}" for k, v in options.items())
    comment = "" if comment == "(empty)" else comment
    sizes = f"max_line_size = {limits.value}"
    if limits.value > VALUE_BYTES:
        sizes += f", buffer_size = {4 * limits.value}"
    # Lines that are not rows of these columns are kept aside in reject_errors,
    # with their line in the file, and reported as bad rows; never dropped unsaid.
    source = (
        f"read_csv({literal}, auto_detect = false, header = true, {given}, "
        f"comment = {_literal(comment)}, skip = {int(skip)}, columns = {{{types}}}, "
        f"ignore_errors = true, store_rejects = true, {sizes})"
    )
    dialect = _Dialect(delimiter, "" if quote == "(empty)" else quote, int(skip), long=long)
    return source, dialect, present


_HEADER_LINES = 100
"""The header is looked for in this many lines at the top of a CSV log."""
_HEADER_CHARACTERS = 1 << 22
_DELIMITERS = (",", ";", "\t", "|")


def _header(file: Path, wanted: list[str], sniffed: str) -> tuple[int, str, list[str]] | None:
    """The header of a CSV log: the first line (from 0) with a cell for each ``wanted``
    column, under the sniffed delimiter or another common one; with its cells."""
    delimiters = [sniffed, *(d for d in _DELIMITERS if d != sniffed)]
    with _open_text(file) as handle:
        for number in range(_HEADER_LINES):
            line = handle.readline(_HEADER_CHARACTERS)
            if not line or (len(line) == _HEADER_CHARACTERS and not line.endswith("\n")):
                return None  # the end, or a line too long to be a header
            text = line.removeprefix("\ufeff") if number == 0 else line
            for delimiter in delimiters:
                if len(delimiter) != 1 or delimiter not in text:
                    continue
                cells = _split(text, delimiter)
                if all(name in cells for name in wanted):
                    return number, delimiter, cells
    return None


_SNIFF_COLUMNS = 1_000
"""A CSV log whose first line has more cells than this, none of them the columns
wanted, is refused without sniffing it."""


def _first_cells(file: Path) -> list[str]:
    """The cells of the first line that has any, under the delimiter giving the most."""
    with _open_text(file) as handle:
        for _ in range(_HEADER_LINES):
            line = handle.readline(_HEADER_CHARACTERS)
            if not line:
                break
            if line.strip():
                return max((_split(line, d) for d in _DELIMITERS), key=len)
    return []


def _split(line: str, delimiter: str) -> list[str]:
    """The cells of one line of a CSV (stripped), however long a cell is."""
    # Python's reader stops at 128 KB a cell unless told; the global limit is restored.
    limit = csv.field_size_limit(_MAX_CELL)
    try:
        return [c.strip() for c in next(csv.reader([line], delimiter=delimiter), [])]
    except csv.Error:
        return []
    finally:
        csv.field_size_limit(limit)


def _unique(cells: list[str]) -> list[str]:
    """Header cells as DuckDB needs column names: none empty, none twice."""
    seen: set[str] = set()
    names = []
    for k, cell in enumerate(cells, start=1):
        name = cell or f"column{k}"
        while name in seen:
            name = f"{name}_{k}"
        seen.add(name)
        names.append(name)
    return names


def _is_empty(file: Path) -> bool:
    """Whether ``file`` holds nothing but white space (read through gzip where it is one)."""
    opener = gzip.open if file.name.lower().endswith(".gz") else open
    try:
        with opener(file, "rb") as handle:
            return not handle.read(4096).strip()
    except (OSError, EOFError):
        return False


def _literal(text: str) -> str:
    """``text`` as an SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _first_line(error: BaseException) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
