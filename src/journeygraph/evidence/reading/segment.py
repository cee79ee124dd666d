"""The cases to look at (`Segment`): those that start in a period, or carry a value."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from journeygraph.evidence.reading.columns import Columns, close
from journeygraph.evidence.reading.duckdb_engine import duckdb
from journeygraph.evidence.reading.limits import LogLimits, cut
from journeygraph.evidence.reading.rows import text
from journeygraph.evidence.reading.session import quoted
from journeygraph.evidence.reading.tables import EVENTS, SEGMENT_CASES, SEGMENT_EVENTS, put
from journeygraph.exceptions import LogError, Problem

__all__ = ["Segment", "cases_where", "check_where", "keep_segment"]


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


def check_where(
    file: Path, segment: Segment, known: list[str], kind: str, limits: LogLimits
) -> None:
    """Raise naming each ``--where`` attribute the log does not have."""
    listed = cut(list(map(repr, known)), limits.problems)
    missing = [
        Problem(
            f"{file}: no {kind} {key!r} to select cases by (--where)"
            + (close(key, known) or f"; the {kind}s are {listed}")
        )
        for key, _ in segment.where
        if key not in known
    ]
    if missing:
        raise LogError(missing)


def cases_where(
    con: duckdb.DuckDBPyConnection, source: str, columns: Columns, segment: Segment
) -> set[str]:
    """The cases of a CSV or Parquet log with every ``--where`` value on one of their rows."""
    case = text(quoted(columns.case))
    found: set[str] | None = None
    for key, value in segment.where:
        rows = con.execute(
            f"SELECT DISTINCT {case} FROM {source} WHERE {text(quoted(key))} = ?", [value]
        ).fetchall()
        these = {str(c) for (c,) in rows if c is not None}
        found = these if found is None else found & these
    return found or set()


def keep_segment(
    con: duckdb.DuckDBPyConnection, segment: Segment, matching: set[str] | None
) -> tuple[int, int]:
    """Keep only the segment's cases in `EVENTS` (those of ``matching`` too, unless it is
    None); the events and cases kept."""
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
    return (int(row[0]), int(row[1])) if row else (0, 0)
