"""How serious a finding is, and when a check fails: the one vocabulary of both.

A leaf module, so that the command line can name its ``--fail-on`` choices
without loading the model.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

__all__ = ["FailOn", "Severity"]


class Severity(StrEnum):
    """How much a finding matters: ``info < low < medium < high``.

    Examples
    --------
    >>> Severity.HIGH > Severity.LOW
    True
    >>> sorted([Severity.MEDIUM, Severity.INFO, Severity.HIGH])
    [<Severity.INFO: 'info'>, <Severity.MEDIUM: 'medium'>, <Severity.HIGH: 'high'>]
    """

    INFO = "info"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def rank(self) -> int:
        """The position of the severity, 0 for ``info`` to 3 for ``high``."""
        return _SEVERITY_RANK[self]

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank <= other.rank

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank > other.rank

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank >= other.rank


_SEVERITY_RANK = {s: i for i, s in enumerate(Severity)}


class FailOn(StrEnum):
    """When a check fails (``--fail-on``): findings at or above a severity, or never.

    Examples
    --------
    >>> FailOn("medium").threshold, FailOn.NEVER.threshold
    (<Severity.MEDIUM: 'medium'>, None)
    """

    INFO = Severity.INFO.value
    LOW = Severity.LOW.value
    MEDIUM = Severity.MEDIUM.value
    HIGH = Severity.HIGH.value
    NEVER = "never"

    @property
    def threshold(self) -> Severity | None:
        """The least severity that fails, or ``None`` for never."""
        return None if self is FailOn.NEVER else Severity(self.value)

    def fails(self, severities: Iterable[Severity]) -> bool:
        """Whether any of ``severities`` is at or above the threshold."""
        least = self.threshold
        return least is not None and any(s >= least for s in severities)
