"""The columns of a log to read, and the message naming those it lacks."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from journeygraph.evidence.reading.limits import LogLimits, cut
from journeygraph.exceptions import LogError, Problem, did_you_mean

__all__ = ["HEADER_LINES", "Columns", "check_columns", "close"]


@dataclass(frozen=True)
class Columns:
    """The names of the log's columns for the case, the touchpoint and the time."""

    case: str = "case_id"
    touchpoint: str = "touchpoint"
    time: str = "timestamp"
    performer: str | None = None
    """Who performed the event (a person or a team); none by default."""
    stage: str | None = None
    """The journey stage of the event, where the log gives one; none by default."""


def close(name: str, known: list[str]) -> str:
    """A did-you-mean among ``known``; among very many, only an exact match of case."""
    if len(known) > _CLOSE_AMONG:
        folded = name.casefold()
        same = next((k for k in known if k.casefold() == folded), None)
        return f"; did you mean {same!r}?" if same is not None else ""
    return did_you_mean(name, known)


_CLOSE_AMONG = 1_000
"""Past this many names, a did-you-mean only matches case (difflib is slow on many)."""


def check_columns(
    file: Path,
    columns: Columns,
    present: list[str],
    header: int | None,
    limits: LogLimits,
) -> None:
    """Raise naming every column of ``columns`` the log lacks, with a did-you-mean."""
    wanted = {"--case": columns.case, "--touchpoint": columns.touchpoint, "--time": columns.time}
    if columns.performer is not None:
        wanted["--performer"] = columns.performer
    if columns.stage is not None:
        wanted["--stage"] = columns.stage
    listed = cut(list(map(repr, present)), limits.problems)
    missing = [
        Problem(
            f"{file}: no column {name!r} (given by {option} or its default)"
            + (close(name, present) or f"; the columns are {listed}")
        )
        for option, name in wanted.items()
        if name not in present
    ]
    # None of them there: the line read as the header is likely not the header.
    if missing and header is not None and not set(wanted.values()) & set(present):
        missing.append(
            Problem(
                f"{file}: no line of the first {HEADER_LINES} names the columns wanted, so "
                f"line {header + 1} was read as the header; if the header is another "
                "line, remove the lines above it, or name the columns with --case, "
                "--touchpoint and --time"
            )
        )
    if missing:
        raise LogError(missing)


HEADER_LINES = 100
"""The header is looked for in this many lines at the top of a CSV log."""
