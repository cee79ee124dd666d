"""The one exception hierarchy of journeygraph.

Every error a user can cause derives from :class:`JourneyGraphError`; the CLI
turns those into one clear message and exit code 2, never a traceback.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from journeygraph.escape import printable

__all__ = [
    "GraphvizNotFoundError",
    "JourneyGraphError",
    "Location",
    "LogError",
    "MapError",
    "OutputError",
    "Problem",
    "RenamedRuleWarning",
    "RenderError",
    "StoreError",
    "UnknownRuleError",
    "current_rule_id",
    "did_you_mean",
]


@dataclass(frozen=True, order=True, slots=True)
class Location:
    """Where something stands in a source file (1-based line and column).

    In a workbook, ``sheet`` names the sheet and ``line``/``column`` the cell.

    Examples
    --------
    >>> str(Location("map.yaml", 3, 5))
    'map.yaml:3:5'
    >>> str(Location("map.xlsx", 14, 3, sheet="touchpoints"))
    'map.xlsx:touchpoints!C14'
    """

    file: str
    line: int
    column: int
    sheet: str = ""

    def __str__(self) -> str:
        file = printable(self.file, one_line=True)
        if self.sheet:
            sheet = printable(self.sheet, one_line=True)
            return f"{file}:{sheet}!{column_letters(self.column)}{self.line}"
        return f"{file}:{self.line}:{self.column}"


def column_letters(column: int) -> str:
    """A spreadsheet's letters for a 1-based column number: 28 is ``AB``."""
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, and where it is."""

    message: str
    location: Location | None = None

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message


def _order(problem: Problem) -> tuple[bool, str, str, int, int]:
    """Problems by file, then sheet, then position; those with no place first."""
    where = problem.location
    if where is None:
        return (False, "", "", 0, 0)
    return (True, where.file, where.sheet, where.line, where.column)


class JourneyGraphError(Exception):
    """Base class of every error journeygraph raises on purpose."""


class MapError(JourneyGraphError):
    """A journey map (or audit config) is not valid; holds every problem found.

    Examples
    --------
    >>> err = MapError([Problem("unknown stage 'x'", Location("m.yaml", 4, 12))])
    >>> print(err)
    m.yaml:4:12: unknown stage 'x'
    """

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(problems, key=_order)
        super().__init__("\n".join(str(p) for p in self.problems))


class UnknownRuleError(JourneyGraphError, KeyError):
    """A rule id that is not in the registry."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "unknown rule"


class GraphvizNotFoundError(JourneyGraphError):
    """The Graphviz programs (``dot``) are not installed."""


class RenderError(JourneyGraphError):
    """Graphviz could not draw a diagram, or the output format is unknown."""


class StoreError(JourneyGraphError):
    """The graph database could not be reached, refused a request, or lacks a journey.

    The message is one line for people; it never holds the password. The
    driver's own exception, when there is one, is the ``__cause__``.
    """


class OutputError(JourneyGraphError):
    """An output cannot be written, or writing it could lose something of the user's."""


class LogError(MapError):
    """An event log cannot be read, lacks a column, or (with ``--strict``) has bad rows.

    Each problem is at its ``file:line:col``; reported as a map's problems are.
    """


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A ``; did you mean 'x'?`` suffix naming the closest choice, or ``''``.

    Examples
    --------
    >>> did_you_mean("consideraton", ["awareness", "consideration"])
    "; did you mean 'consideration'?"
    >>> did_you_mean("zzz", ["awareness"])
    ''
    """
    import difflib  # only when a name is wrong

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


class RenamedRuleWarning(UserWarning):
    """A config, waiver or ``--rules`` names a rule by the id it had before a rename
    (:data:`journeygraph.rule_ids.RULE_ALIASES`); the command line says so in one line."""


def current_rule_id(rule_id: str, aliases: dict[str, str]) -> str:
    """``rule_id``, or the id a renamed rule has now, with a :class:`RenamedRuleWarning`.

    Examples
    --------
    >>> current_rule_id("loop", {})
    'loop'
    """
    new = aliases.get(rule_id)
    if new is None:
        return rule_id
    import warnings

    warnings.warn(
        f"rule {rule_id!r} is now {new!r}; rename it (the old id keeps working for now)",
        RenamedRuleWarning,
        stacklevel=3,
    )
    return new
