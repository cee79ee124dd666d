"""Source locations: where each value of a map was read from."""

from __future__ import annotations

from dataclasses import dataclass, field

from journeygraph.exceptions import Location

__all__ = ["Path", "SourceMap"]

Path = tuple[str | int, ...]


@dataclass
class SourceMap:
    """Positions of the values and keys of one parsed file.

    Positions are 0-based ``(line, column)`` pairs as the parser gives them;
    :meth:`locate` turns them into 1-based :class:`~journeygraph.exceptions.Location`.

    Examples
    --------
    >>> src = SourceMap("m.yaml", values={("stages", 0): (4, 4)})
    >>> str(src.locate(("stages", 0, "name")))
    'm.yaml:5:5'
    """

    file: str
    values: dict[Path, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path, tuple[int, int]] = field(default_factory=dict)

    def locate(self, path: Path, *, key: bool = False) -> Location:
        """The location of ``path``, or of its nearest ancestor that was read.

        With ``key=True`` the location of the mapping key is preferred, which is
        where an unknown or misspelt key should be reported.
        """
        if key and path in self.keys:
            return self._location(self.keys[path])
        probe = path
        while probe:
            if probe in self.values:
                return self._location(self.values[probe])
            probe = probe[:-1]
        return self._location(self.values.get((), (0, 0)))

    def _location(self, position: tuple[int, int]) -> Location:
        line, column = position
        return Location(self.file, line + 1, column + 1)
