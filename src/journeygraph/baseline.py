"""Baselines: the findings already known, so that CI reports only new ones.

A baseline is the JSON (``--format json``) or SARIF (``--format sarif``) output
of an earlier audit. Findings match on journey, rule and entities, not on line
numbers, so editing other parts of a map does not bring old findings back.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

from journeygraph.audit import AuditResult
from journeygraph.exceptions import JourneyGraphError, Location
from journeygraph.io.load import read_text

__all__ = ["BaselineKey", "apply_baseline", "load_baseline"]

BaselineKey = tuple[str, str, tuple[str, ...]]
"""(journey, rule, entities) of a finding."""


def load_baseline(path: str | Path) -> set[BaselineKey]:
    """The findings recorded in a baseline file.

    Examples
    --------
    >>> import json, tempfile, os
    >>> with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
    ...     json.dump({"journey": "j", "findings": [{"rule": "loop", "entities": ["a"]}]}, f)
    >>> load_baseline(f.name)
    {('j', 'loop', ('a',))}
    >>> os.unlink(f.name)
    """
    file = Path(path)
    if not file.exists():
        raise JourneyGraphError(f"{file}: no such baseline file; check the path")
    try:
        data = json.loads(read_text(file, expected="an audit's .json or .sarif file"))
    except json.JSONDecodeError as err:
        where = Location(str(file), err.lineno, err.colno)
        raise JourneyGraphError(
            f"{where}: not valid JSON: {err.msg}; a baseline is the .json or .sarif file "
            "`journeygraph audit MAP --format json -o FILE` writes"
        ) from None
    except (ValueError, RecursionError) as err:  # a number of 4,300 digits; nesting too deep
        raise JourneyGraphError(
            f"{file}: not a journeygraph audit ({str(err).split(';')[0]}); make a baseline "
            "with `journeygraph audit MAP --format json -o FILE`"
        ) from None
    try:
        return _keys(data)
    except (KeyError, TypeError, AttributeError):
        raise JourneyGraphError(
            f"{file}: not a journeygraph audit; make a baseline with "
            "`journeygraph audit MAP --format json -o FILE` (or --format sarif)"
        ) from None


def _keys(data: Any) -> set[BaselineKey]:
    if isinstance(data, dict) and "runs" in data:  # SARIF
        return {
            (r["properties"]["journey"], r["ruleId"], tuple(r["properties"]["entities"]))
            for run in data["runs"]
            for r in run["results"]
        }
    journeys = data.get("journeys", [data])
    return {
        (j["journey"], finding["rule"], tuple(finding["entities"]))
        for j in journeys
        for finding in [*j["findings"], *j.get("waived", [])]
    }


def apply_baseline(result: AuditResult, known: set[BaselineKey]) -> AuditResult:
    """``result`` without the findings in ``known``; ``baselined`` counts them."""
    fresh = [
        finding
        for finding in result.findings
        if (result.journey, finding.rule, finding.entities) not in known
    ]
    return replace(result, findings=fresh, baselined=len(result.findings) - len(fresh))
