"""The lines of XML elements past line 65,534, where lxml cannot tell them.

libxml2 keeps an element's line in 16 bits: from line 65,535 on, lxml's
``sourceline`` says 65,535, or guesses from the text around the element (the
line after, or two after, as the layout has it). Readers keep the lines lxml
gives below that, exactly, and for an element past it its place among the
elements of its kind (in the order they end, as ``iterparse`` gives them); the
line is found from that place when a message needs it, by reading the file
again with expat (Python's own XML parser, which counts lines in full).

`EventLines` holds such lines: a plain number for each line lxml gave, and
``-k`` for the ``k``-th element of its kind in its document.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from typing import IO, Final, overload

__all__ = ["EVENTS", "LAST_EXACT", "EventLines", "Opener", "element_lines", "event_lines"]

LAST_EXACT: Final = 65_534
"""The last line lxml reports exactly; from 65,535 on libxml2 has stopped counting."""

Opener = Callable[[], AbstractContextManager[IO[bytes]]]
"""How to read a document again: its bytes, as the reader parsed them."""

_BLOCK = 1 << 22


def element_lines(opener: Opener, names: frozenset[str]) -> list[int] | None:
    """The line where each element whose local name is in ``names`` starts, in the
    order the elements end (``iterparse``'s ``end`` events); None when expat cannot
    read the document."""
    from xml.parsers import expat

    parser = expat.ParserCreate()
    # No entity is expanded (lxml's readers resolve none), none fetched.
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.DefaultHandler = _ignored
    started: list[int] = []
    lines: list[int] = []

    def start(name: str, _attributes: object) -> None:
        started.append(parser.CurrentLineNumber if name.rpartition(":")[2] in names else 0)

    def end(_name: str) -> None:
        line = started.pop()
        if line:
            lines.append(line)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        with opener() as handle:
            first = handle.read(_BLOCK)
            # libxml2 counts only line feeds: a carriage return alone is no line to it.
            # (Not in UTF-16, where that byte may be half of another character.)
            wide = first[:2] in (b"\xff\xfe", b"\xfe\xff", b"<\x00", b"\x00<")
            block = first
            while block:
                parser.Parse(block if wide else block.replace(b"\r", b" "), False)
                block = handle.read(_BLOCK)
            parser.Parse(b"", True)
    except (expat.ExpatError, OSError, ValueError, LookupError):
        return None
    return lines


def _ignored(_data: str) -> None:
    """Text and references: nothing to do (a default handler expands no entity)."""


EVENTS: Final = frozenset({"event"})


def event_lines(
    values: Sequence[int], parts: list[tuple[int, Opener, int]], names: frozenset[str] = EVENTS
) -> Sequence[int]:
    """``values`` as lines: a tuple when lxml gave each, else `EventLines` over ``parts``."""
    if all(v >= 0 for v in values):
        return tuple(values)
    return EventLines(values, parts, names)


class EventLines(Sequence[int]):
    """The line of each event: as lxml gave it, or found by its place when first asked.

    ``parts`` lists, for each document the values come from (one, or one per part of
    a log read in parallel), the index of its first value, how to read it again, and
    how many lines of the file come before its own.
    """

    def __init__(
        self,
        values: Sequence[int],
        parts: list[tuple[int, Opener, int]],
        names: frozenset[str] = EVENTS,
    ) -> None:
        self.values = values
        self.parts = parts
        self.names = names
        self._found: dict[int, list[int] | None] = {}

    def __len__(self) -> int:
        return len(self.values)

    @overload
    def __getitem__(self, index: int) -> int: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[int]: ...
    def __getitem__(self, index: int | slice) -> int | Sequence[int]:
        if isinstance(index, slice):
            return [self._line(k) for k in range(*index.indices(len(self.values)))]
        if index < 0:
            index += len(self.values)
        if not 0 <= index < len(self.values):
            raise IndexError(index)
        return self._line(index)

    def _line(self, index: int) -> int:
        value = self.values[index]
        if value >= 0:
            return value
        part = bisect.bisect_right([first for first, _, _ in self.parts], index) - 1
        return self.resolve(part, value)

    def resolve(self, part: int, value: int) -> int:
        """The line of ``value`` (``-k``: the ``k``-th element) in the ``part``-th document;
        0 when the document cannot be read again."""
        if value >= 0:
            return value
        if part not in self._found:
            _, opener, _ = self.parts[part]
            self._found[part] = element_lines(opener, self.names)
        found = self._found[part]
        if found is None or -value > len(found):
            return 0
        return found[-value - 1] + self.parts[part][2]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str | bytes):
            return tuple(self) == tuple(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # equal to a tuple, as a list is: unhashable

    def __repr__(self) -> str:
        return repr(tuple(self))
