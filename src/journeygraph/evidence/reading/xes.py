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
import io
import itertools
import os
import pickle
import re
import shutil
import subprocess
import sys
from array import array
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Any, Final

from journeygraph.evidence.reading.guard import is_gzip, open_bytes
from journeygraph.evidence.reading.limits import LogLimits
from journeygraph.exceptions import Location, LogError, Problem

__all__ = [
    "COLUMNS",
    "CSV_COLUMNS",
    "DROPPED_EXAMPLES",
    "PARALLEL_BYTES",
    "XesLog",
    "csv_sink",
    "read_xes",
    "source_line",
    "write_csv",
]

COLUMNS: Final = (
    "case_id",
    "touchpoint",
    "timestamp",
    "resource",
    "group",
    "lifecycle",
    "stage",
)
"""The columns of an XES log's rows, in order."""

DROPPED_EXAMPLES: Final = 5
"""Events left out kept as examples, per reason (as `journeygraph.evidence.reading.log`
keeps rows)."""

_KEYS: Final = {
    "concept:name": 1,
    "time:timestamp": 2,
    "org:resource": 3,
    "org:group": 4,
    "lifecycle:transition": 5,
}
"""Event attributes kept, by their place in a row."""


@dataclass
class XesLog:
    """The events of an XES file as rows of `COLUMNS`, with their lines.

    Attributes
    ----------
    rows
        One tuple of `COLUMNS` per event kept, in file order (``None`` where
        the event does not say).
    lines
        The line of the file each kept event starts on, in the same order.
    case_attributes
        Per case id, the trace's other attributes.
    skipped
        Events left out for their lifecycle transition, per transition.
    matching
        With ``where``, the cases where every ``key=value`` holds, on the trace
        or on one of its events; ``None`` without.
    keys
        With ``where``, every attribute key seen on traces and events (to name
        the ones a condition could use).
    """

    rows: list[tuple[str | None, ...]] = field(default_factory=list)
    lines: tuple[int, ...] = ()
    case_attributes: dict[str, dict[str, str]] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    matching: set[str] | None = None
    keys: set[str] = field(default_factory=set)
    keys_seen: set[str] = field(default_factory=set)
    """With ``stage``, the event attribute keys of the log (to say which exist)."""
    dropped: dict[str, int] = field(default_factory=dict)
    """Events that could not be kept, per reason (bad rows, as a CSV's are)."""
    dropped_at: list[tuple[int, int, str]] = field(default_factory=list)
    """The first few of each reason: ``(line, column, reason in detail)``."""
    classifiers: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """The classifiers the log declares: each one's keys."""
    notes: list[str] = field(default_factory=list)
    """What the reader decided that the user should know (every lifecycle kept, say)."""

    def drop(self, reason: str, line: int, detail: str = "", column: int = 1) -> None:
        """Count an event left out for ``reason``, and keep the first few as examples."""
        seen = self.dropped.get(reason, 0)
        self.dropped[reason] = seen + 1
        if seen < DROPPED_EXAMPLES:
            self.dropped_at.append((line, column, reason + detail))

    def merge_dropped(self, other: XesLog) -> None:
        """Add ``other``'s events left out to these (a part of the same log, later on)."""
        for reason, n in other.dropped.items():
            self.dropped[reason] = self.dropped.get(reason, 0) + n
        self.dropped_at.extend(other.dropped_at)

    def lines_of(self, file: Path, wanted: set[int]) -> dict[int, int]:
        """The line of the XES file where each kept event ``seq`` (from 1) starts."""
        return {seq: self.lines[seq - 1] for seq in wanted if 0 < seq <= len(self.lines)}


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
    _check_root(file, limits)

    def read(mode: str) -> XesLog:
        log = XesLog()

        def keep(row: list[str | None], line: int) -> bool:
            log.rows.append(tuple(row))
            return True

        with _open(file, limits) as handle:
            options = _Options(mode, tuple(where), stage, classifier, limits)
            log.lines = tuple(_read(handle, file, log, keep, options, offset=0))
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


@dataclass(frozen=True)
class _Options:
    """What to read of an XES log (`read_xes` says what each means)."""

    lifecycle: str = "complete"
    where: tuple[tuple[str, str], ...] = ()
    stage: str | None = None
    classifier: str | None = None
    limits: LogLimits = field(default_factory=LogLimits)


CSV_COLUMNS: Final = (*COLUMNS, "performer")
"""The columns of the CSV `write_csv` writes: the row, and who performed the event (the
resource, or where none is given the group)."""

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

    A large log (`PARALLEL_BYTES`) is cut at trace boundaries and read by one
    process per core, each writing its own file; any problem there and it is
    read again in one process, which reports it where it is. With ``lifecycle``
    ``complete`` and no complete event, it is read again keeping every one.
    """
    file = Path(path)
    limits = limits or LogLimits()
    _check_root(file, limits)
    options = _Options(lifecycle, tuple(where), stage, classifier, limits)
    done = _write_csv(file, folder, options)
    if _none_complete(done[0], lifecycle):
        for part in done[1]:
            part.unlink()
        log, parts = _write_csv(file, folder, replace(options, lifecycle="all"))
        return _every_transition(log), parts
    return done


def _write_csv(file: Path, folder: Path, options: _Options) -> tuple[XesLog, list[Path]]:
    size = _xml_size(file)
    cores = os.cpu_count() or 1
    if cores > 1 and PARALLEL_BYTES <= size <= _MOST_BYTES:
        done = _in_parallel(file, folder, min(cores, 8), options)
        if done is not None:
            return done
    log = XesLog()
    out = folder / "events-0.csv"
    with _open(file, options.limits) as handle, out.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(CSV_COLUMNS)
        sink = csv_sink(writer, log, options.limits)
        log.lines = tuple(_read(handle, file, log, sink, options, offset=0))
    return log, [out]


def csv_sink(
    writer: Any, log: XesLog, limits: LogLimits | None = None
) -> Callable[[list[str | None], int], bool]:
    """Write each row of `COLUMNS` given (with its line) as a row of `CSV_COLUMNS`: the
    performer is the resource, or where none is given the group. A row whose values
    pass `LogLimits.value` is not written but left out in ``log``, at its line."""
    write = writer.writerow
    most = (limits or LogLimits()).value
    reason = f"a value over {most:,} bytes (--limit value=N reads it)"

    def sink(row: list[str | None], line: int) -> bool:
        row.append(row[3] if row[3] is not None else row[4])
        # Characters first: a UTF-8 character is at most 4 bytes.
        if sum(len(v) for v in row if v is not None) * 4 > most:
            size = max(len(v.encode("utf-8", "surrogatepass")) for v in row if v is not None)
            if size > most:
                log.drop(reason, line, f": {size:,} bytes")
                return False
        write(row)
        return True

    return sink


def _xml_size(file: Path) -> int:
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


def _in_parallel(
    file: Path,
    folder: Path,
    workers: int,
    options: _Options,
) -> tuple[XesLog, list[Path]] | None:
    """Read ``file`` in ``workers`` processes; None when it cannot be cut or a part fails.

    The processes are new Pythons, not forks (a fork would copy whatever threads the
    caller runs, DuckDB's or a notebook's, in whatever state they are), started as
    plain subprocesses rather than through `multiprocessing`, whose pools need the
    caller's main module importable and wait forever on a worker that dies. Each
    reads its own byte range of the XML (a gzipped log is first written out plain)
    and writes its CSV; one that fails makes the whole log read in one process.
    """
    source = file
    if is_gzip(file):
        source = folder / "log.xml"
        with _open(file, options.limits) as handle, source.open("wb") as out:
            shutil.copyfileobj(handle, out, 1 << 22)
    else:
        # The parts read raw bytes: the whole file is first checked within the limits.
        with _open(file, options.limits) as handle:
            while handle.read(1 << 22):
                pass
    cuts = _cuts(source, workers)
    if cuts is None:
        return None
    with source.open("rb") as handle:
        header = handle.read(cuts[0])
    size = source.stat().st_size
    newlines = _newlines_before(source, cuts)
    tasks = [
        (str(source), header, a, b, b == size, newlines[k] - newlines[0], str(file),
         str(folder / f"events-{k}.csv"), options)
        for k, (a, b) in enumerate(itertools.pairwise([*cuts, size]))
    ]  # fmt: skip
    parts = _run_parts(folder, tasks)
    if parts is None:
        return None  # read again in one process, which says where the problem is
    log = XesLog()
    lines: list[int] = []
    if options.where:
        log.matching = set()
    for part, part_lines in parts:
        log.merge_dropped(part)
        log.classifiers.update(part.classifiers)
        lines.extend(part_lines)
        for transition, n in part.skipped.items():
            log.skipped[transition] = log.skipped.get(transition, 0) + n
        log.case_attributes.update(part.case_attributes)
        if log.matching is not None and part.matching is not None:
            log.matching |= part.matching
        log.keys |= part.keys
        log.keys_seen |= part.keys_seen
    log.lines = tuple(lines)
    return log, [folder / f"events-{k}.csv" for k in range(len(tasks))]


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


_PART_MAIN = (
    "import sys; from journeygraph.evidence.reading.xes import read_part_file; "
    "read_part_file(sys.argv[1], sys.argv[2])"
)


def _run_parts(
    folder: Path, tasks: list[tuple[Any, ...]]
) -> list[tuple[XesLog, array[int]]] | None:
    """Run each task in its own Python process; their results, or None if one fails."""
    env = dict(os.environ)
    # The workers import journeygraph from where this process found it.
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    running = []
    for k, task in enumerate(tasks):
        given, result = folder / f"task-{k}.pickle", folder / f"result-{k}.pickle"
        given.write_bytes(pickle.dumps(task))
        command = [sys.executable, "-c", _PART_MAIN, str(given), str(result)]
        # A worker's messages are of no use to the user: a failed part is read again here.
        process = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        running.append((process, result))
    results = []
    failed = False
    for process, result in running:
        process.wait()
        if process.returncode != 0 or not result.exists():
            failed = True
            continue
        results.append(pickle.loads(result.read_bytes()))
    return None if failed else results


def read_part_file(task_file: str, result_file: str) -> None:
    """A worker process's entry: read the part a task file describes, pickle the result."""
    task = pickle.loads(Path(task_file).read_bytes())
    Path(result_file).write_bytes(pickle.dumps(_read_part(task)))


def _read_part(task: tuple[Any, ...]) -> tuple[XesLog, array[int]]:
    """One process's part: header + its traces (+ the closing tag), written to its CSV."""
    source, header, a, b, last, offset, name, out, options = task
    with Path(source).open("rb") as handle:
        handle.seek(a)
        document = header + handle.read(b - a) + (b"" if last else b"</log>")
    log = XesLog()
    with Path(out).open("w", encoding="utf-8", newline="") as written:
        writer = csv.writer(written)
        writer.writerow(CSV_COLUMNS)
        sink = csv_sink(writer, log, options.limits)
        lines = _read(io.BytesIO(document), Path(name), log, sink, options, offset=offset)
    return log, array("L", lines)


def _check_root(file: Path, limits: LogLimits) -> None:
    from lxml import etree

    try:
        root = _root(file, limits)
    except etree.XMLSyntaxError as err:
        raise _syntax_error(file, err, 0) from None
    if root != "log":
        raise _not_xes(file, f"its root element is <{root}>, not <log>")


def _read(
    handle: IO[bytes],
    file: Path,
    log: XesLog,
    sink: Callable[[list[str | None], int], bool],
    options: _Options,
    *,
    offset: int,
) -> list[int]:
    """Read the events of an XES stream into ``sink``; the line of each, plus ``offset``."""
    from lxml import etree  # loaded only for XES logs

    lifecycle, where, stage = options.lifecycle, options.where, options.stage
    wanted = dict(where)
    keys = {**_KEYS, stage: len(COLUMNS) - 1} if stage is not None else _KEYS
    classified: tuple[str, ...] | None = None  # the classifier's keys, once declared
    if where:
        log.matching = set()
    met: set[str] = set()  # the condition keys the current trace meets so far
    lines: list[int] = []
    # A trace's events wait for the trace's end: its concept:name may come last.
    pending: list[tuple[list[str | None], int]] = []
    try:
        for _, element in etree.iterparse(
            handle,
            events=("end",),
            tag=("{*}event", "{*}trace", "{*}classifier"),
            huge_tree=True,
            resolve_entities=False,
        ):
            if element.tag[-5:] == "event":  # `{namespace}event` or `event`; else a trace
                if wanted or stage is not None:
                    row = _event(log, element, wanted, met, keys, noting=stage is not None)
                else:
                    # The common case, inline: most attributes are not ones kept.
                    row = [None, None, None, None, None, None, None]
                    for child in element:
                        place = keys.get(child.get("key"))
                        if place is not None:
                            row[place] = child.get("value")
                if options.classifier is not None:
                    classified = _classifier(file, log, options.classifier, classified)
                    row[1] = _classified(element, classified)
                line = element.sourceline or 0
                pending.append((row, (line - 1 if line > BIG_LINE else line) + offset))
                continue
            if element.tag[-10:] == "classifier":
                _declare(log, element)
                continue
            _trace(log, lines, pending, element, lifecycle, wanted, met, sink)
            pending, met = [], set()
            # A trace read is done with, its events with it: memory stays flat.
            parent = element.getparent()
            element.clear(keep_tail=False)
            if parent is not None:
                parent.remove(element)
    except etree.XMLSyntaxError as err:
        raise _syntax_error(file, err, offset) from None
    except (OSError, EOFError) as err:
        raise LogError([Problem(f"{file}: cannot be read ({err})")]) from None
    return lines


def _declare(log: XesLog, element: Any) -> None:
    """Note a ``<classifier>``: its keys, space-separated, quoted where they hold spaces."""
    name, given = element.get("name"), element.get("keys")
    if name is not None and given is not None:
        log.classifiers[name] = tuple(a or b for a, b in re.findall(r"'([^']*)'|(\S+)", given))


def _classified(element: Any, keys: tuple[str, ...]) -> str | None:
    """An event's values of a classifier's keys, joined by ``+``."""
    named = {c.get("key"): c.get("value") for c in element}
    return "+".join(v for k in keys if (v := named.get(k)) is not None) or None


def _classifier(
    file: Path, log: XesLog, name: str, known: tuple[str, ...] | None = None
) -> tuple[str, ...]:
    """The keys of the classifier ``name`` the log declares, or an error naming those it does."""
    if known is not None:
        return known
    if name in log.classifiers:
        return log.classifiers[name]
    declared = ", ".join(f"{n!r} ({' '.join(k)})" for n, k in log.classifiers.items())
    raise LogError(
        [
            Problem(
                f"{file}: the log declares no classifier {name!r} (--classifier)"
                + (f"; it declares {declared}" if declared else "; it declares none")
            )
        ]
    )


BIG_LINE = 65535
"""libxml2 keeps line numbers in 16 bits; past this one, lxml reports them one too high."""


def source_line(element: Any) -> int:
    """The line where ``element`` starts, as lxml reports it corrected past `BIG_LINE`."""
    line = int(element.sourceline or 0)
    return line - 1 if line > BIG_LINE else line


def _syntax_error(file: Path, err: Any, offset: int) -> LogError:
    """XML that is not well-formed, at its line (plus ``offset``) and column."""
    at_line, column = err.position if err.position else (0, 0)
    return LogError(
        [
            Problem(
                f"not well-formed XML ({err.msg}); an XES log is an XML file with a "
                "<log> root, as process-mining tools export it",
                Location(str(file), at_line + offset if at_line else 0, column + 1),
            )
        ]
    )


def _attributes(element: Any) -> Iterator[tuple[str, str]]:
    """The ``key`` and ``value`` of each attribute element under ``element``."""
    for child in element:
        items = child.attrib
        key, value = items.get("key"), items.get("value")
        if key is not None and value is not None:
            yield key, value


_KEYS_NOTED = 1000
"""Attribute keys noted (for naming them in a message) up to this many."""


def _event(
    log: XesLog,
    element: Any,
    wanted: dict[str, str],
    met: set[str],
    keys: dict[str, int] = _KEYS,
    *,
    noting: bool = False,
) -> list[str | None]:
    """One event's row of `COLUMNS`, noting the ``where`` conditions it meets (and with
    ``noting``, its attribute keys)."""
    if noting and len(log.keys_seen) < _KEYS_NOTED:
        log.keys_seen.update(c.get("key") for c in element)
    event: list[str | None] = [None] * len(COLUMNS)
    if wanted:
        for key, value in _attributes(element):
            place = keys.get(key)
            if place is not None:
                event[place] = value
            _meet(log, met, wanted, key, value)
        return event
    # The common case, in its tightest form: most attributes are not ones kept.
    for child in element:
        place = keys.get(child.get("key"))
        if place is not None:
            event[place] = child.get("value")
    return event


def _trace(
    log: XesLog,
    lines: list[int],
    pending: list[tuple[list[str | None], int]],
    element: Any,
    lifecycle: str,
    wanted: dict[str, str],
    met: set[str],
    sink: Callable[[list[str | None], int], bool],
) -> None:
    """A trace ends: keep its events with its case, and judge it against ``where``."""
    # The trace's own attributes (its events have none: `_attributes` passes them over).
    attributes = dict(_attributes(element))
    case = attributes.pop("concept:name", None)
    _keep(lines, pending, case, lifecycle, log, sink)
    if case is not None:
        log.case_attributes[case] = attributes
    if wanted:
        for key, value in attributes.items():
            _meet(log, met, wanted, key, value)
        if case is not None and log.matching is not None and met >= wanted.keys():
            log.matching.add(case)


def _meet(log: XesLog, met: set[str], wanted: dict[str, str], key: str, value: str) -> None:
    """Note an attribute seen, and the condition it meets, if any."""
    log.keys.add(key)
    if wanted.get(key) == value:
        met.add(key)


def _keep(
    lines: list[int],
    pending: list[tuple[list[str | None], int]],
    case: str | None,
    lifecycle: str,
    log: XesLog,
    sink: Callable[[list[str | None], int], bool],
) -> None:
    """Pass a finished trace's events on, with its case, as the lifecycle says."""
    only_complete = lifecycle == "complete"
    for event, line in pending:
        event[0] = case
        given = event[5]
        if only_complete and given is not None and given.lower() != "complete":
            transition = given.lower()
            log.skipped[transition] = log.skipped.get(transition, 0) + 1
            continue
        if sink(event, line):
            lines.append(line)


def _root(file: Path, limits: LogLimits) -> str:
    """The local name of the file's root element, read from its first start tag."""
    from lxml import etree

    with _open(file, limits) as handle:
        for _, element in etree.iterparse(handle, events=("start",), resolve_entities=False):
            return str(etree.QName(element).localname)
    return ""


def _not_xes(file: Path, why: str) -> LogError:
    return LogError(
        [
            Problem(
                f"{file}: not an XES event log ({why}); export the log as XES (IEEE 1849), "
                "or as a CSV with case_id, touchpoint and timestamp columns"
            )
        ]
    )


def _open(file: Path, limits: LogLimits) -> IO[bytes]:
    """The XML of ``file``, read within ``limits`` (`journeygraph.evidence.reading.guard`)."""
    return open_bytes(file, limits, markup=True)
