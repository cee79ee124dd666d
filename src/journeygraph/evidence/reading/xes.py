"""XES event logs (IEEE 1849), read as the rows of a CSV log.

A trace's ``concept:name`` is the case, an event's ``concept:name`` the
touchpoint, ``time:timestamp`` the time; ``org:resource``, ``org:group`` and
``lifecycle:transition`` are kept beside them. Only ``complete`` events are kept
unless every lifecycle transition is asked for (events that give none are
always kept). The file is streamed with lxml's ``iterparse``, so memory grows
with the events kept, not with the XML; each event keeps the line it starts
on, so that a bad event is reported at its place in the XES file. A large log
is cut at trace boundaries and read by one process per core (`write_csv`).

Examples
--------
>>> import gzip, pathlib, tempfile
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "log.xes").write_text('''<log xes.version="1.0">
... <trace><string key="concept:name" value="c1"/>
...   <event><string key="concept:name" value="ad"/>
...     <date key="time:timestamp" value="2024-05-01T10:00:00+00:00"/></event>
... </trace></log>''')
>>> xes = read_xes(folder / "log.xes")
>>> xes.rows[0][:3], xes.lines
(('c1', 'ad', '2024-05-01T10:00:00+00:00'), (3,))
"""

from __future__ import annotations

import csv
import os
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import IO

from journeygraph.evidence.reading.limits import LogLimits
from journeygraph.evidence.reading.xes_events import (
    CSV_COLUMNS,
    XesLog,
    XesOptions,
    check_root,
    csv_sink,
    open_xml,
    read_events,
)
from journeygraph.evidence.reading.xes_scan import scan_xes
from journeygraph.evidence.reading.xml_lines import event_lines

__all__ = ["PARALLEL_BYTES", "SCANNED", "read_xes", "write_csv"]


def read_xes(
    path: str | Path,
    *,
    lifecycle: str = "complete",
    where: Sequence[tuple[str, str]] = (),
    stage: str | None = None,
    classifier: str | None = None,
    limits: LogLimits | None = None,
) -> XesLog:
    """Read the events of an ``.xes`` or ``.xes.gz`` file.

    Parameters
    ----------
    path
        The XES file, plain or gzipped.
    lifecycle
        ``complete`` keeps the events whose ``lifecycle:transition`` is
        ``complete`` (or that give none), or every event when none is (with a
        note saying so); ``all`` keeps every event.
    where
        ``(key, value)`` conditions: `XesLog.matching` lists the cases that meet
        them all, each on the trace's attributes or on any of its events'.
    stage
        The event attribute that gives each event's journey stage, if any.
    classifier
        A classifier the log declares (``<classifier name=... keys=...>``): each
        event's touchpoint is then its values of the classifier's keys, joined
        by ``+`` (as PM4Py names them).
    limits
        The bounds of the read (`journeygraph.evidence.reading.limits`).

    Raises
    ------
    LogError
        When the file is not well-formed XML (at its line and column), its
        root element is not an XES ``<log>``, or it passes a limit.
    """
    file = Path(path)
    limits = limits or LogLimits()
    check_root(file, limits)

    def read(mode: str) -> XesLog:
        log = XesLog()

        def keep(row: list[str | None], line: int) -> bool:
            log.rows.append(tuple(row))
            return True

        def reopen() -> IO[bytes]:
            return open_xml(file, limits)

        with reopen() as handle:
            options = XesOptions(mode, tuple(where), stage, classifier, limits)
            found = read_events(handle, file, log, keep, options, offset=0, reopen=reopen)
        log.lines = event_lines(found, [(0, reopen, 0)])
        return log

    log = read(lifecycle)
    if _none_complete(log, lifecycle):
        log = _every_transition(read("all"))
    return log


def _none_complete(log: XesLog, lifecycle: str) -> bool:
    """Whether keeping complete events kept none while others were left out."""
    return lifecycle == "complete" and not log.lines and bool(log.skipped)


def _every_transition(log: XesLog) -> XesLog:
    """The log read again with every lifecycle transition, and the note that says so."""
    log.notes.append(
        "the log has no events whose lifecycle:transition is 'complete', so every event "
        "is kept, whatever its transition (as --lifecycle all does)"
    )
    return log


SCANNED = "events.tsv"
"""The file of a plain log's events (`journeygraph.evidence.reading.xes_scan`): tab-separated
`journeygraph.evidence.reading.xes_scan.SCAN_COLUMNS`, not CSV."""

PARALLEL_BYTES = 32 << 20
"""From this many bytes of XML on, the log is read by several processes at once."""
_MOST_BYTES = 64 << 30
"""Up to this many (a gzipped log's size is known modulo 4 GiB: above, one process)."""


def write_csv(
    path: str | Path,
    folder: Path,
    *,
    lifecycle: str = "complete",
    where: Sequence[tuple[str, str]] = (),
    stage: str | None = None,
    classifier: str | None = None,
    limits: LogLimits | None = None,
) -> tuple[XesLog, list[Path]]:
    """Write the events of an XES file as CSV files of `CSV_COLUMNS` (with a header) in
    ``folder``, in file order; the log without its rows, and the files in order.

    A plain log (`journeygraph.evidence.reading.xes_scan`) is scanned into one
    file named `SCANNED`, tab-separated, its lines found only when asked for. Any
    other large log (`PARALLEL_BYTES`) is cut at trace boundaries and read by one
    process per core, each writing its own file; any problem there and it is
    read again in one process, which reports it where it is. With ``lifecycle``
    ``complete`` and no complete event, it is read again keeping every one.
    """
    file = Path(path)
    limits = limits or LogLimits()
    check_root(file, limits)
    options = XesOptions(lifecycle, tuple(where), stage, classifier, limits)
    done = _write_csv(file, folder, options)
    if _none_complete(done[0], lifecycle):
        for part in done[1]:
            part.unlink()
        log, parts = _write_csv(file, folder, replace(options, lifecycle="all"))
        return _every_transition(log), parts
    return done


def _write_csv(file: Path, folder: Path, options: XesOptions) -> tuple[XesLog, list[Path]]:
    scanned = folder / SCANNED
    log = scan_xes(file, scanned, options)
    if log is not None:
        return log, [scanned]
    scanned.unlink(missing_ok=True)
    # The process pool loads only for a log the scan leaves (multiprocessing, pickle).
    from journeygraph.evidence.reading.xes_parallel import in_parallel, xml_size

    size = xml_size(file)
    cores = os.cpu_count() or 1
    if cores > 1 and PARALLEL_BYTES <= size <= _MOST_BYTES:
        done = in_parallel(file, folder, min(cores, 8), options)
        if done is not None:
            return done
    log = XesLog()
    out = folder / "events-0.csv"

    def reopen() -> IO[bytes]:
        return open_xml(file, options.limits)

    with reopen() as handle, out.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(CSV_COLUMNS)
        sink = csv_sink(writer, log, options.limits)
        found = read_events(handle, file, log, sink, options, offset=0, reopen=reopen)
    log.lines = event_lines(found, [(0, reopen, 0)])
    return log, [out]
