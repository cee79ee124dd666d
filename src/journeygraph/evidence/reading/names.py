"""Log names to map ids: ``discover --names FILE.csv``.

Real logs name their steps and their people as their systems do ("T02 Check
confirmation of receipt", "agent 17"); maps use short ids. A names file is a
CSV with the columns ``log_name`` and ``touchpoint`` (a touchpoint each log
name stands for), or ``performer`` and ``function`` (the function a performer
of the log belongs to), or all four; each row fills one pair or both. Several
names may stand for one id. Names it does not list are left as they are, so
the conformance checks report them (never dropped).

A map can say the same itself: a touchpoint's ``log_names`` and a function's
``log_performers`` (`names_of`). A names file adds to the map's; a name the
two give different ids is an error at the file's row.

Examples
--------
>>> import pathlib, tempfile
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "names.csv").write_text("log_name,touchpoint\\nT02 Check receipt,check\\n")
>>> read_names(folder / "names.csv").touchpoints
{'T02 Check receipt': 'check'}
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from journeygraph.evidence.reading.limits import LogLimits
from journeygraph.exceptions import Location, LogError, Problem, did_you_mean

if TYPE_CHECKING:
    from journeygraph.model import JourneyMap

__all__ = ["PAIRS", "Names", "names_for", "names_of", "read_names"]

PAIRS = (("log_name", "touchpoint"), ("performer", "function"))
"""The column pairs of a names file: a log's name, and the map's id it stands for."""


@dataclass
class Names:
    """What a names file says."""

    touchpoints: dict[str, str] = field(default_factory=dict)
    """The touchpoint each log name stands for."""
    performers: dict[str, str] = field(default_factory=dict)
    """The function each performer of the log belongs to."""


def names_of(m: JourneyMap) -> Names:
    """What the map itself says of log names: ``log_names`` and ``log_performers``.

    Examples
    --------
    >>> from journeygraph.model import JourneyMap
    >>> m = JourneyMap.model_validate({
    ...     "version": 1, "journey": {"id": "j"}, "stages": [{"id": "s"}],
    ...     "functions": [{"id": "desk", "log_performers": ["Value 2"]}],
    ...     "touchpoints": [{"id": "check", "stage": "s", "log_names": ["T02 Check"]}]})
    >>> names_of(m)
    Names(touchpoints={'T02 Check': 'check'}, performers={'Value 2': 'desk'})
    """
    return Names(
        {name: t.id for t in m.touchpoints for name in t.log_names},
        {name: f.id for f in m.functions for name in f.log_performers},
    )


def names_for(
    m: JourneyMap | None, path: str | Path | None = None, *, limits: LogLimits | None = None
) -> Names:
    """The log's names for the map's ids: the map's own (:func:`names_of`), then those of
    the names file at ``path`` (:func:`read_names`, checked against the map's ids).

    Examples
    --------
    >>> from journeygraph.testing import tiny_map
    >>> names_for(tiny_map())
    Names(touchpoints={}, performers={})
    >>> names_for(None)
    Names(touchpoints={}, performers={})
    """
    mapped = names_of(m) if m is not None else Names()
    if path is None:
        return mapped
    return read_names(
        path,
        [t.id for t in m.touchpoints] if m is not None else None,
        [function.id for function in m.functions] if m is not None else None,
        start=mapped,
        limits=limits,
    )


def read_names(
    path: str | Path,
    touchpoints: Iterable[str] | None = None,
    functions: Iterable[str] | None = None,
    *,
    start: Names | None = None,
    limits: LogLimits | None = None,
) -> Names:
    """Read a names CSV.

    Parameters
    ----------
    path
        The CSV file.
    touchpoints, functions
        The map's ids, when there is a map: every row must name one of them.
    start
        Names the map gives (`names_of`): the file adds to them, and may not
        give one of them another id.
    limits
        ``limits.problems`` problems are reported, the rest counted.

    Raises
    ------
    LogError
        The problems, each at ``file:line:column``: no pair of columns, a cell
        of a pair left empty, a name given twice for different ids, an id the
        map does not have; past ``limits.problems`` of them, a count of the rest.
    """
    most = (limits or LogLimits()).problems
    file = Path(path)
    try:
        with file.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
    except FileNotFoundError:
        raise LogError([Problem(f"{file}: no such file; check the path")]) from None
    except (OSError, UnicodeDecodeError, csv.Error) as err:
        raise LogError([Problem(f"{file}: cannot be read as a names CSV ({err})")]) from None
    header = [c.strip() for c in rows[0]] if rows else []
    pairs = [pair for pair in PAIRS if all(c in header for c in pair)]
    if not pairs:
        raise LogError(
            [
                Problem(
                    "a names file needs the columns log_name, touchpoint, or performer, "
                    f"function; found {', '.join(header) or 'none'}",
                    Location(str(file), 1, 1),
                )
            ]
        )
    known = {
        "touchpoint": None if touchpoints is None else sorted(set(touchpoints)),
        "function": None if functions is None else sorted(set(functions)),
    }
    found = Names(dict(start.touchpoints), dict(start.performers)) if start else Names()
    maps = {"touchpoint": found.touchpoints, "function": found.performers}
    problems: list[Problem] = []
    for name_column, id_column in pairs:
        first: dict[str, int] = dict.fromkeys(maps[id_column], 0)  # 0: the map's
        at = (header.index(name_column), header.index(id_column))
        for line, row in enumerate(rows[1:], start=2):
            cells = [row[i].strip() if i < len(row) else "" for i in at]
            problems += _row(
                file, line, at, (name_column, id_column), cells, known[id_column],
                maps[id_column], first, hint=len(problems) < most,
            )  # fmt: skip
    if problems:
        ordered = sorted(problems, key=lambda p: p.location or Location("", 0, 0))
        shown = ordered[:most]
        if len(problems) > most:
            rest = len(problems) - most
            shown.append(
                Problem(
                    f"{rest:,} more problems from here on; fix these first",
                    ordered[most].location,
                )
            )
        raise LogError(shown)
    return found


def _row(
    file: Path,
    line: int,
    at: tuple[int, int],
    columns: tuple[str, str],
    cells: list[str],
    known: list[str] | None,
    names: dict[str, str],
    first: dict[str, int],
    *,
    hint: bool = True,
) -> list[Problem]:
    """The problems of one row's pair of cells; records the name where it is sound."""
    name, ident = cells
    if not name and not ident:
        return []
    empty = [
        Problem(f"empty {column}", Location(str(file), line, i + 1))
        for column, i, cell in zip(columns, at, cells, strict=True)
        if not cell
    ]
    if empty:
        return empty
    problems = []
    kind = columns[1]
    if known is not None and ident not in known:
        close = did_you_mean(ident, known) if hint else ""
        suffix = close or f"; see the map's {kind}s"
        problems.append(
            Problem(
                f"the map has no {kind} {ident!r}{suffix}", Location(str(file), line, at[1] + 1)
            )
        )
    if name in names and names[name] != ident:
        problems.append(
            Problem(
                f"{columns[0].replace('_', ' ')} {name!r} stands for {names[name]!r} "
                + (f"on line {first[name]}" if first[name] else "in the map")
                + f" and for {ident!r} here; a name stands for one {kind}",
                Location(str(file), line, at[0] + 1),
            )
        )
        return problems
    names[name] = ident
    first.setdefault(name, line)
    return problems
