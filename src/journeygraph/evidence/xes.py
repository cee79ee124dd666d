"""XES event logs (IEEE 1849), read as the rows of a CSV log.

A trace's ``concept:name`` is the case, an event's ``concept:name`` the
touchpoint, ``time:timestamp`` the time; ``org:resource``, ``org:group`` and
``lifecycle:transition`` are kept beside them. Only ``complete`` events are kept
unless every lifecycle transition is asked for (events that give none are
always kept). The file is streamed with lxml's ``iterparse``, so memory grows
with the events kept, not with the XML; each event keeps the line it starts
on, so that a bad event is reported at its place in the XES file.

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

import gzip
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Final, cast

from journeygraph.exceptions import Location, LogError, Problem

__all__ = ["COLUMNS", "XesLog", "read_xes"]

COLUMNS: Final = ("case_id", "touchpoint", "timestamp", "resource", "group", "lifecycle")
"""The columns of an XES log's rows, in order."""

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

    def lines_of(self, file: Path, wanted: set[int]) -> dict[int, int]:
        """The line of the XES file where each kept event ``seq`` (from 1) starts."""
        return {seq: self.lines[seq - 1] for seq in wanted if 0 < seq <= len(self.lines)}


def read_xes(
    path: str | Path, *, lifecycle: str = "complete", where: Sequence[tuple[str, str]] = ()
) -> XesLog:
    """Read the events of an ``.xes`` or ``.xes.gz`` file.

    Parameters
    ----------
    path
        The XES file, plain or gzipped.
    lifecycle
        ``complete`` keeps the events whose ``lifecycle:transition`` is
        ``complete`` (or that give none); ``all`` keeps every event.
    where
        ``(key, value)`` conditions: `XesLog.matching` lists the cases that meet
        them all, each on the trace's attributes or on any of its events'.

    Raises
    ------
    LogError
        When the file is not well-formed XML (at its line and column), or its
        root element is not an XES ``<log>``.
    """
    from lxml import etree  # loaded only for XES logs

    file = Path(path)
    log = XesLog()
    wanted = dict(where)
    if where:
        log.matching = set()
    met: set[str] = set()  # the condition keys the current trace meets so far
    lines: list[int] = []
    # A trace's events wait for the trace's end: its concept:name may come last.
    pending: list[tuple[list[str | None], int]] = []
    try:
        root = _root(file)
        if root != "log":
            raise _not_xes(file, f"its root element is <{root}>, not <log>")
        with _open(file) as handle:
            for _, element in etree.iterparse(
                handle,
                events=("end",),
                tag=("{*}event", "{*}trace"),
                huge_tree=True,
                resolve_entities=False,
            ):
                if element.tag[-5:] == "event":  # `{namespace}event` or `event`; else a trace
                    pending.append((_event(log, element, wanted, met), element.sourceline or 0))
                else:
                    _trace(log, lines, pending, element, lifecycle, wanted, met)
                    pending, met = [], set()
                # Whatever has been read is done with: memory stays flat.
                parent = element.getparent()
                element.clear(keep_tail=False)
                if parent is not None:
                    parent.remove(element)
    except etree.XMLSyntaxError as err:
        at_line, column = err.position if err.position else (0, 0)
        raise LogError(
            [
                Problem(
                    f"not well-formed XML ({err.msg}); an XES log is an XML file with a "
                    "<log> root, as process-mining tools export it",
                    Location(str(file), at_line, column + 1),
                )
            ]
        ) from None
    except (OSError, EOFError) as err:
        raise LogError([Problem(f"{file}: cannot be read ({err})")]) from None
    log.lines = tuple(lines)
    return log


def _attributes(element: Any) -> Iterator[tuple[str, str]]:
    """The ``key`` and ``value`` of each attribute element under ``element``."""
    for child in element:
        items = child.attrib
        key, value = items.get("key"), items.get("value")
        if key is not None and value is not None:
            yield key, value


def _event(log: XesLog, element: Any, wanted: dict[str, str], met: set[str]) -> list[str | None]:
    """One event's row of `COLUMNS`, noting the ``where`` conditions it meets."""
    event: list[str | None] = [None] * len(COLUMNS)
    if wanted:
        for key, value in _attributes(element):
            place = _KEYS.get(key)
            if place is not None:
                event[place] = value
            _meet(log, met, wanted, key, value)
        return event
    # The common case, in its tightest form: most attributes are not ones kept.
    keys = _KEYS
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
) -> None:
    """A trace ends: keep its events with its case, and judge it against ``where``."""
    # The trace's own attributes: what is left once its events are gone.
    attributes = dict(_attributes(element))
    case = attributes.pop("concept:name", None)
    _keep(log, lines, pending, case, lifecycle)
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
    log: XesLog,
    lines: list[int],
    pending: list[tuple[list[str | None], int]],
    case: str | None,
    lifecycle: str,
) -> None:
    """Add a finished trace's events to the log, with its case, as the lifecycle says."""
    for event, line in pending:
        event[0] = case
        transition = (event[5] or "complete").lower()
        if lifecycle == "complete" and transition != "complete":
            log.skipped[transition] = log.skipped.get(transition, 0) + 1
            continue
        log.rows.append(tuple(event))
        lines.append(line)


def _root(file: Path) -> str:
    """The local name of the file's root element, read from its first start tag."""
    from lxml import etree

    with _open(file) as handle:
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


def _open(file: Path) -> IO[bytes]:
    if not file.is_file():
        raise LogError([Problem(f"{file}: no such file; check the path")])
    if file.name.lower().endswith(".gz"):
        return cast("IO[bytes]", gzip.open(file, "rb"))
    return file.open("rb")
