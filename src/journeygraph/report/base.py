"""The one interface every output format implements."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from journeygraph.algorithms import CoverageMatrix
    from journeygraph.audit import AuditResult
    from journeygraph.evidence import Evidence, ObservedFlow
    from journeygraph.report.scorecard import Portfolio

__all__ = ["Formatter", "OutputFormat"]


class OutputFormat(StrEnum):
    """The names of the output formats, as given to ``--format``."""

    TEXT = "text"
    JSON = "json"
    CSV = "csv"
    SARIF = "sarif"


class Formatter(ABC):
    """Renders audit results and coverage matrices as text in one format."""

    format: OutputFormat

    @abstractmethod
    def audit(self, results: Sequence[AuditResult], *, portfolio: Portfolio | None = None) -> str:
        """The audit results of one or more journeys, with their portfolio view if given."""

    @abstractmethod
    def matrix(self, matrix: CoverageMatrix, *, journey: str) -> str:
        """A coverage matrix."""

    @abstractmethod
    def evidence(self, flow: ObservedFlow, evidence: Evidence | None = None) -> str:
        """What an event log says: the observed flow and, with a map, the comparison."""

    @abstractmethod
    def table(self, columns: Sequence[str], rows: Sequence[Mapping[str, Any]]) -> str:
        """Rows of a query result, with their columns in order."""
