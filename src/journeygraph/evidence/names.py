"""Log names to map ids: ``discover --names FILE.csv``.

Real logs name their steps as their systems do ("T02 Check confirmation of
receipt"); maps use short ids. A names file is a CSV with the columns
``log_name`` and ``touchpoint``, one row per name the log uses; several names
may stand for one touchpoint. Names it does not list are left as they are, so
the conformance checks report them (never dropped).

Examples
--------
>>> import pathlib, tempfile
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "names.csv").write_text("log_name,touchpoint\\nT02 Check receipt,check\\n")
>>> read_names(folder / "names.csv")
{'T02 Check receipt': 'check'}
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

from journeygraph.exceptions import Location, LogError, Problem
from journeygraph.validation import did_you_mean

__all__ = ["COLUMNS", "read_names"]

COLUMNS = ("log_name", "touchpoint")


def read_names(path: str | Path, touchpoints: Iterable[str] | None = None) -> dict[str, str]:
    """The touchpoint id each log name stands for, read from a names CSV.

    Parameters
    ----------
    path
        The CSV file.
    touchpoints
        The map's touchpoint ids, when there is a map: every row must name one.

    Raises
    ------
    LogError
        Every problem at once, each at ``file:line:column``: a missing column, an
        empty cell, a name given twice for different touchpoints, a touchpoint
        the map does not have.
    """
    file = Path(path)
    known = None if touchpoints is None else sorted(set(touchpoints))
    try:
        with file.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
    except FileNotFoundError:
        raise LogError([Problem(f"{file}: no such file; check the path")]) from None
    except (OSError, UnicodeDecodeError, csv.Error) as err:
        raise LogError([Problem(f"{file}: cannot be read as a names CSV ({err})")]) from None
    header = [c.strip() for c in rows[0]] if rows else []
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise LogError(
            [
                Problem(
                    f"a names file needs the columns {', '.join(COLUMNS)}; "
                    f"missing {', '.join(missing)}",
                    Location(str(file), 1, 1),
                )
            ]
        )
    at = {c: header.index(c) for c in COLUMNS}
    names: dict[str, str] = {}
    first: dict[str, int] = {}
    problems: list[Problem] = []
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = {c: (row[i].strip() if i < len(row) else "") for c, i in at.items()}
        for column in COLUMNS:
            if not cells[column]:
                problems.append(
                    Problem(f"empty {column}", Location(str(file), line, at[column] + 1))
                )
        name, touchpoint = cells["log_name"], cells["touchpoint"]
        if not name or not touchpoint:
            continue
        if known is not None and touchpoint not in known:
            hint = did_you_mean(touchpoint, known) or "; see the map's touchpoints"
            problems.append(
                Problem(
                    f"the map has no touchpoint {touchpoint!r}{hint}",
                    Location(str(file), line, at["touchpoint"] + 1),
                )
            )
        if name in names and names[name] != touchpoint:
            problems.append(
                Problem(
                    f"log name {name!r} stands for {names[name]!r} on line {first[name]} "
                    f"and for {touchpoint!r} here; a name stands for one touchpoint",
                    Location(str(file), line, at["log_name"] + 1),
                )
            )
            continue
        names[name] = touchpoint
        first.setdefault(name, line)
    if problems:
        raise LogError(problems)
    return names
