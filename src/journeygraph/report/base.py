"""The one interface every output format implements."""

from __future__ import annotations

from abc import ABC
from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from journeygraph.exceptions import JourneyGraphError

if TYPE_CHECKING:
    from journeygraph.actions import Action
    from journeygraph.algorithms import CoverageMatrix
    from journeygraph.audit import AuditResult
    from journeygraph.diff import MapDiff
    from journeygraph.evidence import Evidence, ObservedFlow
    from journeygraph.model import JourneyMap
    from journeygraph.report.scorecard import Portfolio
    from journeygraph.whatif import Dependence, Suggestion, ToBe, WhatIf

__all__ = ["CAPABILITIES", "Formatter", "Output", "OutputFormat", "formats_for"]


class OutputFormat(StrEnum):
    """The names of the output formats, as given to ``--format``."""

    TEXT = "text"
    JSON = "json"
    CSV = "csv"
    SARIF = "sarif"
    MARKDOWN = "markdown"


class Output(StrEnum):
    """What a command writes; each is one method of `Formatter` (``rules`` is the docs')."""

    AUDIT = "audit"
    MATRIX = "matrix"
    EVIDENCE = "evidence"
    TABLE = "table"
    DIFF = "diff"
    WHATIF = "whatif"
    TO_BE = "to-be comparison"
    ACTIONS = "actions"
    RULES = "rules"


_F = OutputFormat
CAPABILITIES: dict[Output, tuple[OutputFormat, ...]] = {
    Output.AUDIT: (_F.TEXT, _F.JSON, _F.CSV, _F.SARIF),
    Output.MATRIX: (_F.TEXT, _F.CSV, _F.JSON),
    Output.EVIDENCE: (_F.TEXT, _F.JSON, _F.CSV, _F.SARIF),
    Output.TABLE: (_F.TEXT, _F.CSV, _F.JSON),
    Output.DIFF: (_F.TEXT, _F.JSON, _F.MARKDOWN),
    Output.WHATIF: (_F.TEXT, _F.JSON),
    Output.TO_BE: (_F.TEXT, _F.JSON, _F.MARKDOWN),
    Output.ACTIONS: (_F.TEXT, _F.JSON, _F.CSV, _F.MARKDOWN),
    Output.RULES: (_F.TEXT, _F.JSON, _F.MARKDOWN),
}
"""The formats each output can be written in, the first the default: the command
line's ``--format`` choices come from here, and a test checks that each formatter
implements exactly what this says."""


def formats_for(output: Output) -> tuple[OutputFormat, ...]:
    """The formats ``output`` can be written in, the default first.

    Examples
    --------
    >>> [choice.value for choice in formats_for(Output.DIFF)]
    ['text', 'json', 'markdown']
    """
    return CAPABILITIES[output]


class Formatter(ABC):
    """Renders what the commands write (audits, matrices, evidence, query rows,
    diffs, what-ifs) as text in one format.

    A format implements the outputs `CAPABILITIES` gives it; the others say
    which formats can hold them.
    """

    format: OutputFormat

    def _cannot(self, output: Output) -> JourneyGraphError:
        choices = ", ".join(choice.value for choice in formats_for(output))
        return JourneyGraphError(
            f"{self.format.value} cannot hold {'an' if output is Output.AUDIT else 'a'} "
            f"{output.value}; use --format {choices}"
        )

    def audit(self, results: Sequence[AuditResult], *, portfolio: Portfolio | None = None) -> str:
        """The audit results of one or more journeys, with their portfolio view if given."""
        raise self._cannot(Output.AUDIT)

    def matrix(self, matrix: CoverageMatrix, *, journey: str) -> str:
        """A coverage matrix."""
        raise self._cannot(Output.MATRIX)

    def evidence(self, flow: ObservedFlow, evidence: Evidence | None = None) -> str:
        """What an event log says: the observed flow and, with a map, the comparison."""
        raise self._cannot(Output.EVIDENCE)

    def table(self, columns: Sequence[str], rows: Sequence[Mapping[str, Any]]) -> str:
        """Rows of a query result, with their columns in order."""
        raise self._cannot(Output.TABLE)

    def diff(self, d: MapDiff) -> str:
        """What changed between two versions of a map, and the findings that came and went."""
        raise self._cannot(Output.DIFF)

    def whatif(self, m: JourneyMap, effect: WhatIf) -> str:
        """What removing functions or departments from ``m`` does."""
        raise self._cannot(Output.WHATIF)

    def dependence(self, m: JourneyMap, ranking: Sequence[Dependence]) -> str:
        """Which functions ``m`` leans on alone, most first."""
        raise self._cannot(Output.WHATIF)

    def to_be(self, side: ToBe) -> str:
        """The as-is and the to-be organisation side by side."""
        raise self._cannot(Output.TO_BE)

    def suggestions(self, found: Sequence[Suggestion], *, plan: bool = False) -> str:
        """Single changes to the organisation, best first, each with its scenario; with
        ``plan``, the steps of a plan, each scenario holding the steps so far."""
        raise self._cannot(Output.TO_BE)

    def actions(self, plan: Sequence[Action]) -> str:
        """The action plan, highest priority first."""
        raise self._cannot(Output.ACTIONS)
