"""How a CSV or Parquet log is read: its dialect sniffed once, its header found, its
rows' lines.
"""

from __future__ import annotations

import csv
import gzip
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from journeygraph.evidence.reading.columns import HEADER_LINES, Columns, check_columns
from journeygraph.evidence.reading.duckdb_engine import duckdb
from journeygraph.evidence.reading.guard import long_lines
from journeygraph.evidence.reading.limits import VALUE_BYTES, LogLimits
from journeygraph.evidence.reading.session import literal
from journeygraph.exceptions import JourneyGraphError

__all__ = ["Dialect", "table_source"]


@dataclass(frozen=True)
class Dialect:
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


def table_source(
    con: duckdb.DuckDBPyConnection, file: Path, columns: Columns, limits: LogLimits
) -> tuple[str, Dialect | None, list[str]]:
    """The DuckDB table function reading ``file``, its CSV dialect (none for Parquet), and
    its columns."""
    if file.is_dir():
        raise JourneyGraphError(f"{file}: is a folder; give the log file in it")
    if not file.is_file():
        raise JourneyGraphError(f"{file}: no such file; check the path")
    name = file.name.lower()
    named = literal(str(file))
    if name.endswith(".parquet"):
        source = f"read_parquet({named})"
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
            check_columns(file, columns, first, 0, limits)
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
    types = ", ".join(f"{literal(n)}: 'VARCHAR'" for n in present)
    options = {"delim": delimiter, "quote": quote, "escape": escape, "new_line": new_line}
    given = ", ".join(f"{k} = {literal('' if v == '(empty)' else v)}" for k, v in options.items())
    comment = "" if comment == "(empty)" else comment
    sizes = f"max_line_size = {limits.value}"
    if limits.value > VALUE_BYTES:
        sizes += f", buffer_size = {4 * limits.value}"
    # Lines that are not rows of these columns are kept aside in reject_errors,
    # with their line in the file, and reported as bad rows; never dropped unsaid.
    source = (
        f"read_csv({named}, auto_detect = false, header = true, {given}, "
        f"comment = {literal(comment)}, skip = {int(skip)}, columns = {{{types}}}, "
        f"ignore_errors = true, store_rejects = true, {sizes})"
    )
    dialect = Dialect(delimiter, "" if quote == "(empty)" else quote, int(skip), long=long)
    return source, dialect, present


_HEADER_CHARACTERS = 1 << 22


_DELIMITERS = (",", ";", "\t", "|")


def _header(file: Path, wanted: list[str], sniffed: str) -> tuple[int, str, list[str]] | None:
    """The header of a CSV log: the first line (from 0) with a cell for each ``wanted``
    column, under the sniffed delimiter or another common one; with its cells."""
    delimiters = [sniffed, *(d for d in _DELIMITERS if d != sniffed)]
    with _open_text(file) as handle:
        for number in range(HEADER_LINES):
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
        for _ in range(HEADER_LINES):
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
