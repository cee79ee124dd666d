"""CSV output, for spreadsheets."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from journeygraph.algorithms import CoverageMatrix
from journeygraph.audit import AuditResult
from journeygraph.graph import DEPARTMENT, JOB_FUNCTION, STAGE
from journeygraph.report.base import Formatter, OutputFormat
from journeygraph.report.scorecard import Portfolio
from journeygraph.tabular import csv_text

if TYPE_CHECKING:
    from journeygraph.actions import Action
    from journeygraph.evidence import Evidence, ObservedFlow

__all__ = ["CsvFormatter", "evidence_tables"]

UNCOVERED_ROW = "(no Responsible owner)"


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

    def actions(self, plan: Sequence[Action]) -> str:
        from journeygraph.report.actions_format import COLUMNS

        return self.table(COLUMNS, [a.to_dict() for a in plan])

    def audit(self, results: Sequence[AuditResult], *, portfolio: Portfolio | None = None) -> str:
        # One row (or result) a finding: the portfolio view has no place here.
        rows: list[list[object]] = [
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
        ]
        for result in results:
            for finding in [*result.findings, *result.waived]:
                where = finding.location
                rows.append(
                    [
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
        return csv_text(rows)

    def evidence(self, flow: ObservedFlow, evidence: Evidence | None = None) -> str:
        if evidence is None:
            # Without a map, the observed transitions are the table to share.
            columns = ["from", "to", "transitions", "customers", "median_seconds", "p90_seconds"]
            return self.table(columns, flow.to_dict()["transitions"])
        rows: list[list[object]] = [
            ["source", "severity", "rule", "entities", "customers", "share", "message"]
        ]
        for source, findings in (
            ("log", evidence.conformance.findings),
            ("audit", evidence.audit.findings),
        ):
            for finding in findings:
                rows.append(
                    [
                        source,
                        finding.severity.value,
                        finding.rule,
                        " ".join(finding.entities),
                        finding.details.get("customers", ""),
                        finding.details.get("share", ""),
                        finding.message,
                    ]
                )
        return csv_text(rows)

    def table(self, columns: Sequence[str], rows: Sequence[Mapping[str, Any]]) -> str:
        return csv_text([columns, *([_plain(row.get(c)) for c in columns] for row in rows)])

    def matrix(self, matrix: CoverageMatrix, *, journey: str) -> str:
        uncovered = set(matrix.uncovered)
        return csv_text(
            [
                ["department", "function", *(matrix.name(STAGE, s) for s in matrix.stages)],
                *(
                    [
                        matrix.name(DEPARTMENT, row.department),
                        matrix.name(JOB_FUNCTION, row.function),
                        *(row.cells[s] for s in matrix.stages),
                    ]
                    for row in matrix.rows
                ),
                ["", UNCOVERED_ROW, *("x" if s in uncovered else "" for s in matrix.stages)],
            ]
        )


def evidence_tables(flow: ObservedFlow, evidence: Evidence | None = None) -> dict[str, str]:
    """What ``discover -o FOLDER`` writes: file name to CSV text.

    ``touchpoints.csv`` and ``transitions.csv`` hold the observed flow,
    ``variants.csv`` the most frequent paths (touchpoints joined by ``>``),
    ``performers.csv`` who performed each touchpoint and ``handovers.csv`` who
    handed work to whom (when the log says) and, with a map, ``findings.csv``
    the conformance and weighted audit findings and ``stages.csv`` the time
    spent in each stage and the conversion to the next.
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
    tables["variants.csv"] = csv.table(
        ["customers", "share", "path"],
        [{**v.to_dict(), "path": " > ".join(v.path)} for v in flow.variants],
    )
    if data["performers"]:
        tables["performers.csv"] = csv.table(
            ["touchpoint", "performer", "events", "share"], data["performers"]
        )
    if flow.handovers:
        rows = (
            [h.to_dict() for h in evidence.handoffs.work]
            if evidence is not None
            else data["handovers"]
        )
        columns = ["from", "to", "customers", "steps"]
        if evidence is not None:
            columns += ["status", "undeclared_steps"]
        tables["handovers.csv"] = csv.table(columns, rows)
    if evidence is not None:
        tables["findings.csv"] = csv.evidence(flow, evidence)
        onward = {c.from_stage: c for c in evidence.journey.conversion}
        tables["stages.csv"] = csv.table(
            ["stage", "customers", "median_seconds", "p90_seconds", "next_stage", "converted"],
            [
                {
                    **s.to_dict(),
                    "next_stage": onward[s.stage].to_stage if s.stage in onward else None,
                    "converted": onward[s.stage].converted if s.stage in onward else None,
                }
                for s in evidence.journey.stages
            ],
        )
    return tables
