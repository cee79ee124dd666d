"""How much of an event log journeygraph reads: every bound in one place.

A log is someone's export, or someone's attack: a few kilobytes of gzip can
inflate to gigabytes, one value can be hundreds of megabytes, a log can name a
million touchpoints. Each bound here is set where real logs fit (the largest
public XES logs, tens of millions of events) and the work stays within a
laptop's memory; ``discover --limit NAME=VALUE`` raises one.

Examples
--------
>>> LogLimits.parse(["inflated=8GB", "touchpoints=5000"]).inflated
8000000000
>>> LogLimits().describe("value")
'2,000,000 bytes'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from typing import Final

from journeygraph.exceptions import JourneyGraphError

__all__ = [
    "INFLATED_BYTES",
    "INFLATION_RATIO",
    "NAME_CHARACTERS",
    "PROBLEMS_SHOWN",
    "RATIO_FROM_BYTES",
    "ROWS",
    "TEXT_BYTES",
    "TOUCHPOINTS",
    "TRANSITIONS",
    "VALUE_BYTES",
    "LogLimits",
    "cut",
]

INFLATED_BYTES: Final = 4 << 30
"""A gzipped log may inflate to this many bytes (4 GiB: a 1M-event XES is 133 MB)."""
INFLATION_RATIO: Final = 100
"""Past `RATIO_FROM_BYTES`, a gzipped log may inflate to this many times the bytes read
(XES and CSV logs compress 5 to 30 times; a bomb of white space, a thousand)."""
RATIO_FROM_BYTES: Final = 64 << 20
"""The ratio is judged only once this many bytes are inflated."""
VALUE_BYTES: Final = 2_000_000
"""A value (and a CSV log's line) may hold this many bytes; a longer one makes its row
or event a bad row (DuckDB's line limit)."""
TEXT_BYTES: Final = 64 << 20
"""Text without markup (an XML attribute or text, an SQLite value) past this many bytes
stops the read with an error at its place: such a value is not a log's."""
ROWS: Final = 20_000_000
"""Rows an OCEL log's table may have (each becomes Python objects: about 1 KB each)."""
NAME_CHARACTERS: Final = 1_000
"""A touchpoint, performer or stage name may have this many characters; a longer one
makes its row a bad row (it would be drawn, printed and compared everywhere)."""
TOUCHPOINTS: Final = 1_000
"""Discovery keeps the figures of this many touchpoints (most events first) and counts
the rest."""
TRANSITIONS: Final = 10_000
"""Discovery keeps the figures of this many transitions (most first) and counts the rest."""
PROBLEMS_SHOWN: Final = 20
"""Lists of problems and of names in a message stop after this many, with a count."""


@dataclass(frozen=True)
class LogLimits:
    """The bounds a log is read within (see the module's constants for each)."""

    inflated: int = INFLATED_BYTES
    ratio: int | None = INFLATION_RATIO
    """``None`` once ``inflated`` is given: the user has said how large the log is."""
    value: int = VALUE_BYTES
    text: int = TEXT_BYTES
    rows: int = ROWS
    name: int = NAME_CHARACTERS
    touchpoints: int = TOUCHPOINTS
    transitions: int = TRANSITIONS
    problems: int = PROBLEMS_SHOWN

    @classmethod
    def parse(cls, given: Iterable[str]) -> LogLimits:
        """The limits ``NAME=VALUE`` texts set (sizes take ``KB``, ``MB``, ``GB``).

        Raises
        ------
        JourneyGraphError
            For an unknown name or a value that is not a positive number.
        """
        names = [f.name for f in fields(cls) if f.name != "ratio"]
        limits = cls()
        for text in given:
            name, sep, value = text.partition("=")
            name = name.strip()
            if not sep or name not in names:
                raise JourneyGraphError(
                    f"--limit {text!r}: write NAME=VALUE, NAME one of {', '.join(names)} "
                    "(e.g. --limit inflated=8GB)"
                )
            number = _number(value)
            if number is None:
                raise JourneyGraphError(
                    f"--limit {text!r}: {value.strip()!r} is not a positive number "
                    "(sizes may end in KB, MB or GB)"
                )
            limits = replace(limits, **{name: number})
            if name == "inflated":
                limits = replace(limits, ratio=None)
        return limits

    def describe(self, name: str) -> str:
        """A limit's value in words."""
        value = getattr(self, name)
        unit = " bytes" if name in ("inflated", "value", "text") else ""
        return f"{value:,}{unit}"

    def hint(self, name: str) -> str:
        """How to raise a limit, for a message."""
        return f"--limit {name}=N raises the limit of {self.describe(name)}"


_UNITS = {"": 1, "B": 1, "K": 10**3, "KB": 10**3, "M": 10**6, "MB": 10**6, "G": 10**9,
          "GB": 10**9, "T": 10**12, "TB": 10**12}  # fmt: skip


def _number(text: str) -> int | None:
    """``8GB`` as 8,000,000,000, ``5000`` as 5000; None if it is no positive number."""
    match = re.fullmatch(r"\s*([0-9][0-9_,]*)\s*([A-Za-z]*)\s*", text)
    if not match or match[2].upper() not in _UNITS:
        return None
    number = int(match[1].replace("_", "").replace(",", "")) * _UNITS[match[2].upper()]
    return number if number > 0 else None


def cut(items: list[str], most: int = PROBLEMS_SHOWN) -> str:
    """``items`` joined with commas, the first ``most`` and a count of the rest.

    Examples
    --------
    >>> cut(["'a'", "'b'", "'c'"], 2)
    "'a', 'b' and 1 more"
    """
    shown = ", ".join(items[:most])
    rest = len(items) - most
    return f"{shown} and {rest:,} more" if rest > 0 else shown
