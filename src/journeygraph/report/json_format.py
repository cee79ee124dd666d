"""JSON output: stable key order, one object per journey."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from journeygraph.algorithms import CoverageMatrix
from journeygraph.audit import AuditResult
from journeygraph.graph import DEPARTMENT, JOB_FUNCTION, STAGE
from journeygraph.model import Severity
from journeygraph.report.base import Formatter, OutputFormat

__all__ = ["JsonFormatter", "matrix_dict"]


class JsonFormatter(Formatter):
    """``{"journey", "findings", "waived", "summary", ...}``; several journeys
    give ``{"journeys": [...], "summary": {...}}``.

    Examples
    --------
    >>> import json, journeygraph
    >>> result = journeygraph.audit(journeygraph.load("examples/b2b-saas.yaml"))
    >>> data = json.loads(JsonFormatter().audit([result]))
    >>> sorted(data)[:4]
    ['file', 'findings', 'journey', 'name']
    """

    format = OutputFormat.JSON

    def audit(self, results: Sequence[AuditResult]) -> str:
        if len(results) == 1:
            return _dump(results[0].to_dict())
        total = {s.value: 0 for s in sorted(Severity, reverse=True)}
        for result in results:
            for severity, count in result.summary().items():
                total[severity] += count
        return _dump({"journeys": [r.to_dict() for r in results], "summary": total})

    def matrix(self, matrix: CoverageMatrix, *, journey: str) -> str:
        return _dump(matrix_dict(matrix, journey=journey))


def matrix_dict(matrix: CoverageMatrix, *, journey: str) -> dict[str, Any]:
    """The coverage matrix as JSON-ready data."""
    return {
        "journey": journey,
        "stages": [{"id": s, "name": matrix.name(STAGE, s)} for s in matrix.stages],
        "rows": [
            {
                "function": row.function,
                "name": matrix.name(JOB_FUNCTION, row.function),
                "department": row.department,
                "department_name": matrix.name(DEPARTMENT, row.department) or None,
                "cells": row.cells,
            }
            for row in matrix.rows
        ],
        "uncovered": matrix.uncovered,
    }


def _dump(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
