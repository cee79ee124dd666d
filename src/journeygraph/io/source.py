"""Source locations: where each value of a map was read from."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from journeygraph.exceptions import Location

__all__ = ["SECTIONS", "KeyPath", "SourceMap", "is_entity_path"]

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


@dataclass
class SourceMap:
    """Positions of the values and keys of one parsed file.

    Positions are 0-based ``(line, column)`` pairs as the parser gives them;
    :meth:`locate` turns them into 1-based :class:`~journeygraph.exceptions.Location`.
    A map parsed for auditing keeps only the positions of its entities; asking
    for any other position calls ``reparse`` once to record them all.

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

    def locate(self, path: KeyPath, *, key: bool = False) -> Location:
        """The location of ``path``, or of its nearest ancestor that was read.

        With ``key=True`` the location of the mapping key is preferred, which is
        where an unknown or misspelt key should be reported.
        """
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

    def _location(self, position: tuple[int, int], path: KeyPath) -> Location:
        line, column = position
        return Location(self.file, line + 1, column + 1, self.sheets.get(path, ""))
