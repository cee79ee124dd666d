"""Reading a plain XES log fast: its events found by one regular expression, in C.

Most XES logs (the Helpdesk log, logs shaped as the BPI Challenge's) write each
trace as ``<trace>``, its attributes and its events, and each event as ``<event>``
and a run of ``<string key="..." value="..."/>``-like elements. `scan_xes` reads such a
log without building an element per attribute: one compiled expression finds
each event and the values of the keys kept (a repeated group keeps its last
match, as `journeygraph.evidence.reading.xes_events` keeps an attribute given
twice), and the events are written as the lines of a tab-separated file DuckDB
reads.

The expression is trusted only where it reads the XML as XML does: from the
first ``<trace>`` on, every character must be white space or part of one of
the forms it knows (no comment, text, CDATA, nested attribute, or value with a
tab or line break, which XML would have turned into spaces), the header before
must hold no trace, event or DOCTYPE (nor pass 16 MB), and the file must be UTF-8. Anything else,
and `scan_xes` returns ``None``: the log is read by `journeygraph.evidence.reading.xes`
as before, which reports a bad file at its line. So are ``--where``, ``--stage``
and ``--classifier``, and a value over `LogLimits.value`.

The forms it knows are well-formed XML as they stand: names, white space and
characters as XML defines them, every ``&`` the start of a reference to a
character XML allows. So from the first ``<trace>`` on the log is well-formed
exactly when the scan reads it all, and only the header is left to libxml2,
parsed with the log's end tag after it (it must leave the root ``<log>`` open,
alone): no parser reads the traces beside the scan. (One did, until it was
measured at a third of the scan's time.) The tests check the scan refuses what
libxml2 refuses, on edited logs (`tests/evidence/test_xes_scan.py`).

The line of each event (for a bad row's message) is found only when asked: the
file is read again then (`ScannedLines`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from operator import itemgetter
from pathlib import Path
from typing import IO, Any, Final, overload

from journeygraph.evidence.reading.guard import LogStream, open_stream
from journeygraph.evidence.reading.limits import LogLimits
from journeygraph.evidence.reading.xes_events import XesLog, XesOptions, open_xml, read_events
from journeygraph.evidence.reading.xml_lines import event_lines
from journeygraph.extras import optional

__all__ = ["SCAN_COLUMNS", "ScannedLines", "scan_xes"]

SCAN_COLUMNS: Final = ("case_id", "touchpoint", "timestamp", "resource", "group", "lifecycle")
"""The columns of the file `scan_xes` writes. ``resource`` and
``lifecycle`` end with a ``"`` when the event gives them (``"`` alone: given empty), and
are empty when it does not, since a resource given empty is the performer, not the group."""

_SPACE = "[ \t\n\r]"
"""XML's white space: nothing else (a form feed, a no-break space) passes for it."""
_CHARACTER = "\x00-\x1f\ufffe\uffff"
"""Characters no value here may hold: those XML refuses anywhere (control characters,
U+FFFE and U+FFFF), and the tab and line breaks XML would have turned into spaces."""
_VALUE = f'[^"<{_CHARACTER}]*+'
"""A value: an ``&`` in it must start a reference (`_check_references` sees to that)."""
_NAME = "[A-Za-z_][A-Za-z0-9_.-]*+"
"""An element's name: a plain XML name without a prefix."""
_TAG = f'<(?!(?:event|trace){_SPACE}){_NAME}{_SPACE}++key="'
_OTHER = f'[^"<&{_CHARACTER}]*+"{_SPACE}++value="{_VALUE}"'
_GIVEN = ("org:resource", "lifecycle:transition")
"""Keys whose value keeps its closing quote, so that one given empty is told from none."""
_ATTRIBUTE = (
    _TAG
    + "(?:"
    + "".join(
        f'{key}"{_SPACE}++value="({_VALUE}")|'
        if key in _GIVEN
        else f'{key}"{_SPACE}++value="({_VALUE})"|'
        for key in ("concept:name", "time:timestamp", *_GIVEN[:1], "org:group", *_GIVEN[1:])
    )
    + _OTHER
    + f"){_SPACE}*+/>"
)
_TOKEN: Final = re.compile(
    f"{_SPACE}*+(?:<event>(?:{_SPACE}*+"
    + _ATTRIBUTE
    + f")*+{_SPACE}*+(</event>)|(<trace>)|(</trace>)|"
    + _TAG
    + f'(?:concept:name"{_SPACE}++value="({_VALUE})"|{_OTHER}){_SPACE}*+/>|(</log>)|(.))',
    re.DOTALL,
)
"""One token of the traces: an event (its touchpoint, time, resource, group and transition,
then its end tag as a mark), a trace's start or end, a trace's attribute (its case, if it is
``concept:name``), the log's end, or any other character (which stops the scan).

Each is well-formed XML as it stands (names, white space and characters as XML has them),
so a run of tokens that are not "other" is well-formed content: with a header that is (see
`_check_header`), the whole log is, and no parser need read it again."""
_EVENT, _OPEN, _CLOSE, _CASE, _END, _OTHER_CHARACTER = 5, 6, 7, 8, 9, 10

_LONE_AMPERSAND = re.compile(r"&(?!(?:#x[0-9a-fA-F]{1,8}|#[0-9]{1,10}|amp|lt|gt|quot|apos);)")
"""An ``&`` that starts none of the references a value here may hold: XML's five entities
(no DOCTYPE declares others), or a character's number."""
_NUMBER = re.compile(r"&#(x?)([0-9a-fA-F]+);")

_SKIPPED_START = re.compile(r"<!--|<\?")
_HEADER_MOST = 16 << 20
"""A header (all before the first trace) longer than this is not scanned."""
_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([^"']*)["']""")
_ENTITY = re.compile(r"&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}
_BLOCK = 1 << 16
"""How much of the file is read, checked and scanned at a time. Small, so that what
each block makes (its text, its tokens, its lines) fits in memory the allocator
keeps: with blocks of 4 MB the C library handed that memory back to the system
after every block and took it again, zeroed, for the next (60,600 page faults on
the BPI 2012-shaped log, against 500 with these, and a fifth of the scan's CPU)."""
_START = b"<trace>"
_TAIL = len(_START) - 1
"""The bytes a tag cut across two reads can leave in the first."""


class _NotPlainError(Exception):
    """The log is not of the plain form: it is read by the element-building reader."""


def scan_xes(file: Path, out: Path, options: XesOptions) -> XesLog | None:
    """Write the events of a plain XES log to ``out`` (tab-separated, `SCAN_COLUMNS`, in
    file order, only those ``options.lifecycle`` keeps); the log without its rows, or
    ``None`` when the log is not plain or not well-formed (read it the other way)."""
    if options.where or options.stage is not None or options.classifier is not None:
        return None
    try:
        scan = _Scan(options.lifecycle, options.limits)
        with (
            open_stream(file, options.limits, markup=True) as handle,
            out.open("w", encoding="utf-8") as f,
        ):
            scan.run(handle, f.write)
    except _NotPlainError:
        return None
    log = XesLog(skipped=scan.skipped)
    log.lines = ScannedLines(file, options, scan.kept, scan.keeps)
    return log


class _Scan:
    """The state of a scan: the trace read, the events kept, the transitions left out."""

    def __init__(self, lifecycle: str, limits: LogLimits) -> None:
        self.every = lifecycle != "complete"
        self.longest = limits.value // 4  # characters: a UTF-8 character is at most 4 bytes
        self.kept = 0
        self.skipped: dict[str, int] = {}
        self.decided: dict[str, bool] = {"": True}  # a raw transition: whether it is kept
        self.depth = 0
        self.case = ""
        self.events: list[tuple[str, ...]] = []
        self.ended = False

    def run(self, handle: LogStream, write: Callable[[str], object]) -> None:
        """Scan ``handle``'s XML a block at a time (its header checked by libxml2)."""
        # The bytes read and not scanned yet (the header, or the last trace begun) are
        # kept as read and joined once a trace starts after them: a log of one huge
        # trace, or a long header, is neither copied nor searched again and again.
        held: list[bytes] = []
        size, tail, started = 0, b"", False
        while block := handle.read(_BLOCK):
            at = _trace_start(tail, block, last=started)
            if at is None:
                held.append(block)
                size += len(block)
                tail = (tail + block[-_TAIL:])[-_TAIL:]
                if not started and size > _HEADER_MOST:
                    raise _NotPlainError
                continue
            pending = b"".join((*held, block))
            cut = size + at
            if started:
                self.tokens(_text(pending[:cut]), write)
            else:
                _check_header(pending[:cut])
                started = True
            rest = pending[cut:]
            held, size, tail = [rest], len(rest), rest[-_TAIL:]
        if not started:
            raise _NotPlainError
        self.tokens(_text(b"".join(held)), write)
        if self.depth or not self.ended:
            raise _NotPlainError

    def tokens(self, text: str, write: Callable[[str], object]) -> None:
        """Scan a run of whole traces (the last may run on to the log's end)."""
        if "&" in text:
            _check_references(text)
        traces: list[str] = []
        events, depth = self.events, self.depth  # locals: this loop runs once per event
        for token in _TOKEN.findall(text):
            if token[_EVENT]:
                if depth != 1:
                    raise _NotPlainError  # an event outside a trace
                events.append(token)
            else:
                depth = self.mark(token, depth, traces)
        self.depth = depth
        if not traces:
            return
        lines = "".join(traces)
        write(_decoded(lines) if "&" in lines else lines)

    def mark(self, token: tuple[str, ...], depth: int, traces: list[str]) -> int:
        """Any token but an event: the depth of traces after it."""
        if self.ended:
            raise _NotPlainError  # anything but white space after the log's end
        if token[_OPEN]:
            if depth:
                raise _NotPlainError  # a trace in a trace
            self.case = ""
            return 1
        if token[_CLOSE]:
            self.close(self.events, traces)
            return depth - 1
        if token[_CASE]:
            if depth:
                self.case = token[_CASE]
        elif token[_END]:
            self.ended = True
        elif token[_OTHER_CHARACTER]:
            raise _NotPlainError
        return depth

    def close(self, events: list[tuple[str, ...]], traces: list[str]) -> None:
        """A trace ends: its events, with its case, as lines (those the lifecycle keeps)."""
        kept = events
        if not self.every:
            decided = self.decided
            for transition in {e[4] for e in events} - decided.keys():
                decided[transition] = _transition(transition).lower() == "complete"
            kept = [e for e in events if decided[e[4]]]
            for e in events:
                if not decided[e[4]]:
                    name = _transition(e[4]).lower()
                    self.skipped[name] = self.skipped.get(name, 0) + 1
        if kept:
            self.kept += len(kept)
            traces.append(_lines(self.case, kept, self.longest))
        events.clear()

    def keeps(self, transition: str) -> bool:
        """Whether an event of this raw transition (``""``: none given) is kept."""
        if self.every:
            return True
        kept = self.decided.get(transition)
        if kept is None:
            kept = self.decided[transition] = _transition(transition).lower() == "complete"
        return kept


def _trace_start(tail: bytes, block: bytes, *, last: bool) -> int | None:
    """Where in ``block`` a trace starts: the first start, or with ``last`` the last one;
    a negative place for a tag cut across reads, begun in ``tail`` (the bytes before
    ``block``); None when no trace starts there."""
    at = block.rfind(_START) if last else block.find(_START)
    if tail and (at < 0 or not last):
        across = (tail + block[:_TAIL]).find(_START)
        if across >= 0:
            return across - len(tail)
    return at if at >= 0 else None


_VALUES = itemgetter(*range(_EVENT))
"""An event token's values: its touchpoint, time, resource, group and transition."""


def _lines(case: str, events: list[tuple[str, ...]], longest: int) -> str:
    """A trace's events as lines of the file DuckDB reads: the case, then the event's values
    (`SCAN_COLUMNS`), tab-separated; a line longer than ``longest`` refuses the scan."""
    start = case + "\t"
    lines = start + ("\n" + start).join(map("\t".join, map(_VALUES, events))) + "\n"
    # A line is no longer than the trace's: most traces are checked at once.
    if len(lines) > longest and max(map(len, lines.split("\n"))) > longest:
        raise _NotPlainError  # a value may pass the limit: left out, at its line, the other way
    return lines


class _Nothing:
    """A parser target that builds nothing: libxml2 only checks the XML."""

    def close(self) -> None:
        return None


def _text(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise _NotPlainError from None


def _check_header(header: bytes) -> None:
    """Refuse a header that is not UTF-8, or could hide or hold a trace or an event."""
    declared = _ENCODING.match(header.removeprefix(b"\xef\xbb\xbf"))
    if declared is not None and declared.group(1).lower().replace(b"_", b"-") not in (
        b"utf-8",
        b"utf8",
    ):
        raise _NotPlainError
    if header.startswith((b"\xff\xfe", b"\xfe\xff")) or b"<!DOCTYPE" in header:
        raise _NotPlainError
    plain = _without_comments(_text(header))
    # A prefixed one too (`<x:event>`): the element-building reader matches any namespace.
    if "<!" in plain or _HEADER_ENTRY.search(plain) is not None:
        raise _NotPlainError
    # Well-formed with the log's end tag after it: the header leaves the root <log> open,
    # alone, so that the tokens after it (well-formed content) make a well-formed log.
    optional("lxml")  # not installed: which extra to install
    from lxml import etree

    # The stubs want every method of a target; lxml calls only those it has.
    nothing: Any = _Nothing()
    checker = etree.XMLParser(target=nothing, huge_tree=True, resolve_entities=False)
    try:
        checker.feed(header)
        checker.feed(b"</log>")
        checker.close()
    except etree.XMLSyntaxError:
        raise _NotPlainError from None


def _check_references(text: str) -> None:
    """Refuse an ``&`` that starts no reference, or a reference to no character of XML's."""
    if _LONE_AMPERSAND.search(text) is not None:
        raise _NotPlainError  # not XML: the element-building reader says where
    for hexadecimal, number in _NUMBER.findall(text):
        code = int(number, 16 if hexadecimal else 10)
        if not (code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD
                or 0x10000 <= code <= 0x10FFFF):  # fmt: skip
            raise _NotPlainError


_HEADER_ENTRY = re.compile(r"<(?:[^\s<>/!?]*:)?(?:trace|event)")


def _without_comments(header: str) -> str:
    """The header without its comments and processing instructions, in one pass; one left
    open (it runs on over the first trace) refuses the scan."""
    kept, at = [], 0
    while (start := _SKIPPED_START.search(header, at)) is not None:
        end = "-->" if start.group() == "<!--" else "?>"
        closed = header.find(end, start.end())
        if closed < 0:
            raise _NotPlainError
        kept.append(header[at : start.start()])
        at = closed + len(end)
    kept.append(header[at:])
    return "".join(kept)


def _transition(raw: str) -> str:
    """A transition as the event gives it (its raw value ends with a ``"``)."""
    return _decoded(raw[:-1]) if "&" in raw else raw[:-1]


def _decoded(text: str) -> str:
    """The text with the entities of its values replaced (XML's five, and characters)."""

    def character(m: re.Match[str]) -> str:
        name = m.group(1)
        if name[0] != "#":
            return _NAMED[name]
        value = chr(int(name[2:], 16) if name[1] == "x" else int(name[1:]))
        if value in "\t\n\r":
            raise _NotPlainError  # would end a value or a line of the file DuckDB reads
        return value

    return _ENTITY.sub(character, text)


class ScannedLines(Sequence[int]):
    """The line of each event kept, found when first asked for by reading the file again."""

    def __init__(self, file: Path, options: XesOptions, kept: int, keeps: Callable[[str], bool]):
        self.file, self.limits, self.lifecycle = file, options.limits, options.lifecycle
        self.kept, self.keeps = kept, keeps
        self._lines: list[int] | None = None

    def __len__(self) -> int:
        return self.kept

    @overload
    def __getitem__(self, index: int) -> int: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[int]: ...
    def __getitem__(self, index: int | slice) -> int | Sequence[int]:
        if self._lines is None:
            self._lines = list(self._find())
        return self._lines[index]

    def _find(self) -> Iterator[int]:
        with open_xml(self.file, self.limits) as handle:
            data = handle.read()
        if b"\r" in data:
            # libxml2 counts a carriage return its own way (a lone one in a
            # declaration, say, is no line): its lines are its own reader's.
            yield from self._read()
            return
        text = data.decode("utf-8")
        line, at = 1, 0
        for match in _TOKEN.finditer(text, text.find("<trace>")):
            if match.group(_EVENT + 1) and self.keeps(match.group(5) or ""):
                start = text.find("<event>", match.start())
                line += text.count("\n", at, start)
                at = start
                yield line

    def _read(self) -> list[int]:
        """The lines of the events kept, as the element-building reader finds them."""
        options = XesOptions(lifecycle=self.lifecycle, limits=self.limits)

        def reopen() -> IO[bytes]:
            return open_xml(self.file, self.limits)

        with reopen() as handle:
            found = read_events(
                handle, self.file, XesLog(), lambda *_: True, options, offset=0, reopen=reopen
            )
        return list(event_lines(found, [(0, reopen, 0)]))
