"""Parsing XES: an event log's XML streamed into rows, each at the line it starts on.

`read_events` reads the events of an XES stream (a whole log, or one part of it
read by `journeygraph.evidence.reading.xes_parallel`) into a sink; `csv_sink`
writes them as the rows of a CSV DuckDB reads. `journeygraph.evidence.reading.xes`
says which attributes are kept.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Final

from journeygraph.evidence.reading.guard import open_bytes
from journeygraph.evidence.reading.limits import LogLimits
from journeygraph.evidence.reading.xml_lines import LAST_EXACT, EventLines, Opener
from journeygraph.exceptions import Location, LogError, Problem
from journeygraph.extras import optional

__all__ = [
    "COLUMNS",
    "CSV_COLUMNS",
    "DROPPED_EXAMPLES",
    "XesLog",
    "XesOptions",
    "csv_sink",
    "read_events",
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
    lines: Sequence[int] = ()
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


@dataclass(frozen=True)
class XesOptions:
    """What to read of an XES log (`read_xes` says what each means)."""

    lifecycle: str = "complete"
    where: tuple[tuple[str, str], ...] = ()
    stage: str | None = None
    classifier: str | None = None
    limits: LogLimits = field(default_factory=LogLimits)


CSV_COLUMNS: Final = (*COLUMNS, "performer")
"""The columns of the CSV `write_csv` writes: the row, and who performed the event (the
resource, or where none is given the group)."""


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


def check_root(file: Path, limits: LogLimits) -> None:
    optional("lxml")  # not installed: which extra to install
    from lxml import etree

    try:
        root = _root(file, limits)
    except etree.XMLSyntaxError as err:
        raise _syntax_error(file, err, 0) from None
    if root != "log":
        raise _not_xes(file, f"its root element is <{root}>, not <log>")


def read_events(
    handle: IO[bytes],
    file: Path,
    log: XesLog,
    sink: Callable[[list[str | None], int], bool],
    options: XesOptions,
    *,
    offset: int,
    reopen: Opener,
) -> list[int]:
    """Read the events of an XES stream into ``sink``; the line of each kept, plus
    ``offset``, or past `LAST_EXACT` its place ``-k`` (`journeygraph.evidence.reading.xml_lines`:
    ``reopen`` reads the stream again, for the events left out that need their line now).
    """
    optional("lxml")  # not installed: which extra to install
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
    seen = 0  # events ended so far: past LAST_EXACT, an event is known by its place
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
                seen += 1
                line = element.sourceline or 0
                pending.append((row, line + offset if line <= LAST_EXACT else -seen))
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
    _locate_dropped(log, reopen, offset)
    return lines


def _locate_dropped(log: XesLog, reopen: Opener, offset: int) -> None:
    """The lines of the events left out past `LAST_EXACT`: their messages need them now."""
    if any(line < 0 for line, _, _ in log.dropped_at):
        found = EventLines((), [(0, reopen, offset)])
        log.dropped_at = [(found.resolve(0, at), column, why) for at, column, why in log.dropped_at]


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
    optional("lxml")  # not installed: which extra to install
    from lxml import etree

    with open_xml(file, limits) as handle:
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


def open_xml(file: Path, limits: LogLimits) -> IO[bytes]:
    """The XML of ``file``, read within ``limits`` (`journeygraph.evidence.reading.guard`)."""
    return open_bytes(file, limits, markup=True)
