"""CSV output, for spreadsheets."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from journeygraph.algorithms import CoverageMatrix
from journeygraph.audit import AuditResult
from journeygraph.graph import DEPARTMENT, JOB_FUNCTION, STAGE
from journeygraph.report.base import Formatter, OutputFormat
from journeygraph.report.scorecard import Portfolio

if TYPE_CHECKING:
    from journeygraph.evidence import Evidence, ObservedFlow

__all__ = ["CsvFormatter", "evidence_tables"]

UNCOVERED_ROW = "(no Responsible owner)"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> object:
    """User text as a spreadsheet shows it: never as a formula (CSV injection)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _plain(value: object) -> object:
    """A list or map as JSON text in one cell; other values as they are."""
    if isinstance(value, list | tuple | dict):
        return json.dumps(value, ensure_ascii=False, allow_nan=False, default=str)
    return "" if value is None else value


class CsvFormatter(Formatter):
    """One row per finding, or per function of the coverage matrix.

    Examples
    --------
    >>> from journeygraph.testing import tiny_graph
    >>> from journeygraph.algorithms import coverage_matrix
    >>> print(CsvFormatter().matrix(coverage_matrix(tiny_graph()), journey="tiny"))
    department,function,first,last
    ,marketing,R,I
    ,sales,,RA
    ,(no Responsible owner),,
    <BLANKLINE>
    """

    format = OutputFormat.CSV

    def audit(self, results: Sequence[AuditResult], *, portfolio: Portfolio | None = None) -> str:
        # One row (or result) a finding: the portfolio view has no place here.
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(
            [
                "journey",
                "severity",
                "rule",
                "entities",
                "file",
                "line",
                "column",
                "message",
                "waived",
            ]
        )
        for result in results:
            for finding in [*result.findings, *result.waived]:
                where = finding.location
                writer.writerow(
                    _cell(v)
                    for v in [
                        result.journey,
                        finding.severity.value,
                        finding.rule,
                        " ".join(finding.entities),
                        where.file if where else "",
                        where.line if where else "",
                        where.column if where else "",
                        finding.message,
                        finding.waiver or "",
                    ]
                )
        return out.getvalue()

    def evidence(self, flow: ObservedFlow, evidence: Evidence | None = None) -> str:
        if evidence is None:
            # Without a map, the observed transitions are the table to share.
            rows = flow.to_dict()["transitions"]
            columns = ["from", "to", "transitions", "customers", "median_seconds", "p90_seconds"]
            return self.table(columns, rows)
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["source", "severity", "rule", "entities", "customers", "share", "message"])
        for source, findings in (
            ("log", evidence.conformance.findings),
            ("audit", evidence.audit.findings),
        ):
            for f in findings:
                writer.writerow(
                    _cell(v)
                    for v in [
                        source,
                        f.severity.value,
                        f.rule,
                        " ".join(f.entities),
                        f.details.get("customers", ""),
                        f.details.get("share", ""),
                        f.message,
                    ]
                )
        return out.getvalue()

    def table(self, columns: Sequence[str], rows: Sequence[Mapping[str, Any]]) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(_cell(c) for c in columns)
        for row in rows:
            writer.writerow(_cell(_plain(row.get(c))) for c in columns)
        return out.getvalue()

    def matrix(self, matrix: CoverageMatrix, *, journey: str) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(
            _cell(v)
            for v in ["department", "function", *(matrix.name(STAGE, s) for s in matrix.stages)]
        )
        for row in matrix.rows:
            writer.writerow(
                _cell(v)
                for v in [
                    matrix.name(DEPARTMENT, row.department),
                    matrix.name(JOB_FUNCTION, row.function),
                    *(row.cells[s] for s in matrix.stages),
                ]
            )
        uncovered = set(matrix.uncovered)
        writer.writerow(
            ["", UNCOVERED_ROW, *("x" if s in uncovered else "" for s in matrix.stages)]
        )
        return out.getvalue()


def evidence_tables(flow: ObservedFlow, evidence: Evidence | None = None) -> dict[str, str]:
    """What ``discover -o FOLDER`` writes: file name to CSV text.

    ``touchpoints.csv`` and ``transitions.csv`` hold the observed flow,
    ``performers.csv`` who performed each touchpoint (when the log says) and,
    with a map, ``findings.csv`` the conformance and weighted audit findings.
    """
    csv = CsvFormatter()
    data = flow.to_dict()
    tables = {
        "touchpoints.csv": csv.table(
            ["touchpoint", "events", "customers", "starts", "ends", "repeat_customers"],
            data["touchpoints"],
        ),
        "transitions.csv": csv.table(
            ["from", "to", "transitions", "customers", "median_seconds", "p90_seconds"],
            data["transitions"],
        ),
    }
    if data["performers"]:
        tables["performers.csv"] = csv.table(
            ["touchpoint", "performer", "events", "share"], data["performers"]
        )
    if evidence is not None:
        tables["findings.csv"] = csv.evidence(flow, evidence)
    return tables
