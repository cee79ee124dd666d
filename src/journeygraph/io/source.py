"""Source locations: where each value of a map was read from."""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from journeygraph.exceptions import Location

__all__ = ["COLUMNS", "SECTIONS", "KeyPath", "ListedPositions", "SourceMap", "is_entity_path"]

KeyPath = tuple[str | int, ...]

SECTIONS = frozenset({"stages", "departments", "functions", "touchpoints", "handoffs"})
"""The sections of a map that list entities."""


def is_entity_path(path: KeyPath) -> bool:
    """Whether ``path`` is where an entity, a transition or a waiver starts.

    These are the only positions findings point at, so a parse for auditing
    keeps just these; any other position is found by parsing again.

    Examples
    --------
    >>> is_entity_path(("touchpoints", 3)), is_entity_path(("touchpoints", 3, "next", 0))
    (True, True)
    >>> is_entity_path(("touchpoints", 3, "stage"))
    False
    """
    n = len(path)
    if n == 2:
        return path[0] in SECTIONS
    if n == 4:
        return path[0] == "touchpoints" and path[2] == "next"
    if n == 3:
        return path[0] == "audit" and path[1] == "waivers"
    return n == 0


COLUMNS = 1 << 32
"""A position packed in one integer, as `ListedPositions` keeps it: ``line * COLUMNS + column``."""


class ListedPositions:
    """Where each item of some lists starts: the lists of a map's entities, of each
    touchpoint's transitions and of its waivers, the positions an audit points at.

    A 100,000-touchpoint map has some 420,000 of them. As a dict from path tuples
    to ``(line, column)`` tuples they took about 90 MB; here each is one packed
    integer in an array (8 bytes), and a touchpoint's transitions are found by
    its index, not by a tuple of their own.

    Examples
    --------
    >>> listed = ListedPositions()
    >>> listed.add(("stages",), [1 * COLUMNS + 4, 2 * COLUMNS + 4])
    >>> listed.add(("touchpoints", 0, "next"), [9 * COLUMNS + 11, 9 * COLUMNS + 15])
    >>> listed.get(("stages", 1)), listed.get(("touchpoints", 0, "next", 1))
    ((2, 4), (9, 15))
    >>> listed.get(("stages", 2)), listed.get(("touchpoints", 1, "next", 0))
    (None, None)
    """

    __slots__ = ("_lists", "_next_count", "_next_start", "_nexts")

    def __init__(self) -> None:
        self._lists: dict[KeyPath, array[int]] = {}
        # Touchpoint i's transitions: _nexts[_next_start[i] + j] for j < _next_count[i].
        self._next_start = array("q")
        self._next_count = array("q")
        self._nexts = array("q")

    def add(self, path: KeyPath, positions: Iterable[int]) -> None:
        """Keep where each item of the list at ``path`` starts: its 0-based line and
        column, packed (``line * COLUMNS + column``)."""
        i = path[1] if len(path) == 3 and path[0] == "touchpoints" and path[2] == "next" else None
        if type(i) is not int or i < 0:
            self._lists[path] = array("q", positions)
            return
        # Straight into the one array of all transitions, without an array of
        # their own first: a parse adds a list for each touchpoint, in order.
        nexts = self._nexts
        start = len(nexts)
        nexts.extend(positions)
        missing = i + 1 - len(self._next_count)
        if missing == 1:
            self._next_start.append(start)
            self._next_count.append(len(nexts) - start)
            return
        if missing > 0:
            self._next_start.extend([0] * missing)
            self._next_count.extend([0] * missing)
        self._next_start[i] = start
        self._next_count[i] = len(nexts) - start

    def item(self, section: str, i: int) -> int | None:
        """The packed position of item ``i`` of the list ``section`` (``get((section, i))``
        without the path, for an audit that locates hundreds of thousands of findings)."""
        items = self._lists.get((section,))
        if items is None or not 0 <= i < len(items):
            return None
        return items[i]

    def transition(self, i: int, j: int) -> int | None:
        """The packed position of transition ``j`` of touchpoint ``i`` (``get`` of
        ``("touchpoints", i, "next", j)`` without the path)."""
        if not 0 <= i < len(self._next_count) or not 0 <= j < self._next_count[i]:
            return None
        return self._nexts[self._next_start[i] + j]

    def transitions(self) -> tuple[array[int], array[int], array[int]]:
        """Where each touchpoint's transitions start in the third array, how many it
        has, and the packed positions of all: `transition` without a call per one."""
        return self._next_start, self._next_count, self._nexts

    def get(self, path: KeyPath) -> tuple[int, int] | None:
        """The 0-based ``(line, column)`` of the list item at ``path``, if it is kept."""
        j = path[-1] if path else None
        if type(j) is not int or j < 0:
            return None
        if len(path) == 4 and path[2] == "next" and path[0] == "touchpoints":
            i = path[1]
            if type(i) is not int or not 0 <= i < len(self._next_count):
                return None
            if j >= self._next_count[i]:
                return None
            packed = self._nexts[self._next_start[i] + j]
        else:
            items = self._lists.get(path[:-1])
            if items is None or j >= len(items):
                return None
            packed = items[j]
        return divmod(packed, COLUMNS)


@dataclass
class SourceMap:
    """Positions of the values and keys of one parsed file.

    Positions are 0-based ``(line, column)`` pairs as the parser gives them;
    :meth:`locate` turns them into 1-based :class:`~journeygraph.exceptions.Location`.
    A map parsed for auditing keeps only the positions of its entities, packed
    in ``listed``; asking for any other position calls ``reparse`` once to
    record them all.

    Examples
    --------
    >>> src = SourceMap("m.yaml", values={("stages", 0): (4, 4)})
    >>> str(src.locate(("stages", 0, "name")))
    'm.yaml:5:5'
    """

    file: str
    values: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)
    keys: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)
    reparse: Callable[[], SourceMap] | None = field(default=None, repr=False, compare=False)
    sheets: dict[KeyPath, str] = field(default_factory=dict)
    """For workbooks: the sheet each recorded value was read from."""
    listed: ListedPositions | None = field(default=None, repr=False, compare=False)
    """The positions of entities and transitions, apart from ``values`` (see
    `ListedPositions`)."""

    def locate(self, path: KeyPath, *, key: bool = False) -> Location:
        """The location of ``path``, or of its nearest ancestor that was read.

        With ``key=True`` the location of the mapping key is preferred, which is
        where an unknown or misspelt key should be reported.
        """
        if self.listed is not None and not key:
            found = self.listed.get(path)
            if found is not None:
                return self._location(found, path)
        if (key and path not in self.keys) or path not in self.values:
            self._complete()
        if key and path in self.keys:
            return self._location(self.keys[path], path)
        probe = path
        while probe:
            if probe in self.values:
                return self._location(self.values[probe], probe)
            probe = probe[:-1]
        return self._location(self.values.get((), (0, 0)), ())

    def _complete(self) -> None:
        if self.reparse is not None:
            full = self.reparse()
            self.values, self.keys, self.reparse = full.values, full.keys, None
            self.listed = None

    def _location(self, position: tuple[int, int], path: KeyPath) -> Location:
        line, column = position
        return Location(self.file, line + 1, column + 1, self.sheets.get(path, ""))
