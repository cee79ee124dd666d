"""Reading a large XES log in several processes: cut at trace boundaries, one part each.

`journeygraph.evidence.reading.xes.write_csv` calls `in_parallel` from
`journeygraph.evidence.reading.xes.PARALLEL_BYTES` of XML on. Each part is the
log's header, a run of whole traces and the closing tag, parsed by
`journeygraph.evidence.reading.xes_events.read_events` with its lines offset to
where they are in the file, so the rows, lines and bad events are those one
process would find.

The workers are spawned (never forked), and never run the caller's main module
again: a script that reads such a log needs no ``if __name__ == "__main__":``.
"""

from __future__ import annotations

import contextlib
import csv
import io
import itertools
import multiprocessing
import os
import shutil
import sys
import types
from array import array
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import IO, NamedTuple

from journeygraph.evidence.reading.guard import is_gzip
from journeygraph.evidence.reading.xes_events import (
    CSV_COLUMNS,
    XesLog,
    XesOptions,
    csv_sink,
    open_xml,
    read_events,
)
from journeygraph.evidence.reading.xml_lines import Opener, event_lines

__all__ = ["in_parallel", "xml_size"]


def xml_size(file: Path) -> int:
    """The size of the XML: the file's, or for gzip the size its trailer gives (mod 4 GiB)."""
    if not file.is_file():
        return 0
    if not is_gzip(file):
        return file.stat().st_size
    if file.stat().st_size < 18:  # smaller than gzip's header and trailer: not read here
        return 0
    with file.open("rb") as handle:
        handle.seek(-4, os.SEEK_END)
        return int.from_bytes(handle.read(4), "little")


def in_parallel(
    file: Path,
    folder: Path,
    workers: int,
    options: XesOptions,
) -> tuple[XesLog, list[Path]] | None:
    """Read ``file`` in ``workers`` processes; None when it cannot be cut or a part fails.

    Each process reads its own byte range of the XML (a gzipped log is first
    written out plain) and writes its CSV. The processes are spawned, not forked
    (a fork would copy whatever threads the caller runs, DuckDB's or a
    notebook's, in whatever state they are), by a `ProcessPoolExecutor`, which
    also notices a worker that dies. A part that fails makes the whole log read
    in one process, which reports the problem where it is in the file.
    """
    source = file
    if is_gzip(file):
        source = folder / "log.xml"
        with open_xml(file, options.limits) as handle, source.open("wb") as out:
            shutil.copyfileobj(handle, out, 1 << 22)
    else:
        # The parts read raw bytes: the whole file is first checked within the limits.
        with open_xml(file, options.limits) as handle:
            while handle.read(1 << 22):
                pass
    cuts = _cuts(source, workers)
    if cuts is None:
        return None
    with source.open("rb") as handle:
        header = handle.read(cuts[0])
    size = source.stat().st_size
    newlines = _newlines_before(source, cuts)
    parts = [
        _Part(str(source), header, a, b, b == size, newlines[k] - newlines[0], str(file),
              str(folder / f"events-{k}.csv"), options)
        for k, (a, b) in enumerate(itertools.pairwise([*cuts, size]))
    ]  # fmt: skip
    done = _run_parts(parts)
    if done is None:
        return None  # read again in one process, which says where the problem is
    log = XesLog()
    lines: list[int] = []
    documents: list[tuple[int, Opener, int]] = []
    if options.where:
        log.matching = set()
    for part, (read, read_lines) in zip(parts, done, strict=True):
        documents.append((len(lines), _reader(file, part), part.offset))
        log.merge_dropped(read)
        log.classifiers.update(read.classifiers)
        lines.extend(read_lines)
        for transition, n in read.skipped.items():
            log.skipped[transition] = log.skipped.get(transition, 0) + n
        log.case_attributes.update(read.case_attributes)
        if log.matching is not None and read.matching is not None:
            log.matching |= read.matching
        log.keys |= read.keys
        log.keys_seen |= read.keys_seen
    log.lines = event_lines(lines, documents)
    return log, [Path(part.out) for part in parts]


def _reader(file: Path, part: _Part) -> Opener:
    """How to read ``part``'s document again, as its worker parsed it, from the log itself
    (a gzipped log's plain copy is gone by the time a line is asked for)."""

    def document() -> IO[bytes]:
        with open_xml(file, part.options.limits) as handle:
            position = 0
            while position < part.start:
                skipped = handle.read(min(_WINDOW, part.start - position))
                if not skipped:
                    break
                position += len(skipped)
            body = handle.read(part.end - part.start)
        return io.BytesIO(part.header + body + (b"" if part.last else b"</log>"))

    return document


_WINDOW = 1 << 20
"""How much is read at a time to look for a trace's start."""


def _cuts(source: Path, parts: int) -> list[int] | None:
    """Where to cut the XML into about ``parts`` runs of whole traces: the first is where
    the first trace starts (all before it is the header every part gets)."""
    size = source.stat().st_size
    with source.open("rb") as handle:
        first = _trace_start(handle, 0)
        if first < 0:
            return None
        cuts = [first]
        for k in range(1, parts):
            at = _trace_start(handle, first + (size - first) * k // parts)
            if at < 0 or at <= cuts[-1]:
                break
            cuts.append(at)
    return cuts if len(cuts) > 1 else None


def _trace_start(handle: IO[bytes], start: int) -> int:
    """The offset of the next ``<trace`` start tag from ``start``, or -1."""
    while True:
        handle.seek(start)
        window = handle.read(_WINDOW + 7)
        if len(window) < 7:
            return -1
        at = window.find(b"<trace")
        while at >= 0 and window[at + 6 : at + 7] not in (b" ", b">", b"\t", b"\n", b"\r", b"/"):
            at = window.find(b"<trace", at + 6)
        if 0 <= at <= _WINDOW:
            return start + at
        start += _WINDOW


def _newlines_before(source: Path, offsets: list[int]) -> list[int]:
    """How many line breaks come before each offset (in increasing order)."""
    counts, seen, position = [], 0, 0
    with source.open("rb") as handle:
        for offset in offsets:
            while position < offset:
                block = handle.read(min(1 << 24, offset - position))
                if not block:
                    break
                seen += block.count(b"\n")
                position += len(block)
            counts.append(seen)
    return counts


class _Part(NamedTuple):
    """One worker's part of the log: its bytes, where its lines start, its CSV."""

    source: str
    """The plain XML (the log, or a gzipped log written out)."""
    header: bytes
    """Everything before the first trace: every part is parsed after it."""
    start: int
    end: int
    last: bool
    """Whether the part runs to the end (and so has the closing tag)."""
    offset: int
    """How many lines come before the part's first byte, after the header."""
    name: str
    """The log as the user named it, for messages."""
    out: str
    """The CSV the part's rows are written to."""
    options: XesOptions


def _run_parts(parts: list[_Part]) -> list[tuple[XesLog, array[int]]] | None:
    """Read each part in a process of its own; their results in order, or None if one
    fails (a problem in the log, or a worker that died)."""
    # At most one process per part, and there are at most as many parts as cores.
    pool = ProcessPoolExecutor(len(parts), mp_context=multiprocessing.get_context("spawn"))
    try:
        # Each submission starts its worker, there and then (one per part).
        with _main_left_behind():
            running = [pool.submit(_read_part, part) for part in parts]
        return [future.result() for future in running]
    except Exception:
        # Whatever it was (a problem in the log, a worker that died), one process
        # reads the log again and says what and where it is, as it would have.
        return None
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


@contextlib.contextmanager
def _main_left_behind() -> Iterator[None]:
    """While workers start, hide the caller's main module from them.

    A spawned worker imports the parent's ``__main__`` again (for what it
    defines to be unpickled there), so a script that reads a log at its top
    level, without ``if __name__ == "__main__":``, would run once more in each
    worker. The workers need nothing of it: they are told of a bare one.
    """
    main = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = main


def _read_part(part: _Part) -> tuple[XesLog, array[int]]:
    """One process's part: header + its traces (+ the closing tag), written to its CSV."""
    with Path(part.source).open("rb") as handle:
        handle.seek(part.start)
        document = part.header + handle.read(part.end - part.start)
    if not part.last:
        document += b"</log>"
    log = XesLog()
    with Path(part.out).open("w", encoding="utf-8", newline="") as written:
        writer = csv.writer(written)
        writer.writerow(CSV_COLUMNS)
        sink = csv_sink(writer, log, part.options.limits)
        stream = io.BytesIO(document)
        lines = read_events(
            stream,
            Path(part.name),
            log,
            sink,
            part.options,
            offset=part.offset,
            reopen=lambda: io.BytesIO(document),
        )
    # Past LAST_EXACT an event's line is its place in the part, -k: signed.
    return log, array("q", lines)
