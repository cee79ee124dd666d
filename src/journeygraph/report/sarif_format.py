"""SARIF 2.1.0 output, so that code hosts show findings on the map's lines."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from journeygraph._version import __version__
from journeygraph.audit import AuditResult
from journeygraph.escape import json_text
from journeygraph.evidence.conformance.check import LOG_HEADER
from journeygraph.exceptions import JourneyGraphError
from journeygraph.model import Severity
from journeygraph.report.base import Formatter, OutputFormat
from journeygraph.report.scorecard import Portfolio
from journeygraph.rules import Finding, Rule, registry

if TYPE_CHECKING:
    from journeygraph.evidence import Evidence, ObservedFlow

__all__ = ["LEVELS", "SarifFormatter", "fingerprint"]

LEVELS = {
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
    Severity.INFO: "note",
}
"""SARIF level of each severity."""

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def fingerprint(journey: str, finding: Finding) -> str:
    """A stable id of a finding: its rule, journey and entities, not its line.

    Examples
    --------
    >>> import journeygraph
    >>> from journeygraph.testing import tiny_map
    >>> finding = journeygraph.audit(tiny_map()).findings[0]
    >>> len(fingerprint("tiny", finding))
    32
    """
    key = json.dumps(
        [journey, finding.rule, list(finding.entities)], ensure_ascii=False, allow_nan=False
    )
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


class SarifFormatter(Formatter):
    """One SARIF run for all journeys; waived findings carry a suppression.

    Examples
    --------
    >>> import json, journeygraph
    >>> result = journeygraph.audit(journeygraph.load("examples/b2b-saas.yaml"))
    >>> log = json.loads(SarifFormatter().audit([result]))
    >>> log["version"], log["runs"][0]["results"][0]["level"]
    ('2.1.0', 'error')
    """

    format = OutputFormat.SARIF

    def audit(self, results: Sequence[AuditResult], *, portfolio: Portfolio | None = None) -> str:
        # One row (or result) a finding: the portfolio view has no place here.
        return self._log(results, list(registry))

    def _log(self, results: Sequence[AuditResult], rules: list[Rule[Any]]) -> str:
        index = {rule.id: i for i, rule in enumerate(rules)}
        entries: list[dict[str, Any]] = []
        for result in results:
            entries += [_result(result, finding, index) for finding in result.findings]
            entries += [_result(result, finding, index, waived=True) for finding in result.waived]
        log = {
            "$schema": SCHEMA,
            "version": "2.1.0",
            "runs": [
                {
                    "tool": {
                        "driver": {
                            "name": "journeygraph",
                            "version": __version__,
                            "rules": [_rule(rule) for rule in rules],
                        }
                    },
                    "originalUriBaseIds": {"SRCROOT": {"uri": Path.cwd().as_uri() + "/"}},
                    "results": entries,
                }
            ],
        }
        return json_text(log, indent=2) + "\n"

    def evidence(self, flow: ObservedFlow, evidence: Evidence | None = None) -> str:
        if evidence is None:
            raise JourneyGraphError("SARIF holds findings: give --map to compare the log with")
        from journeygraph.evidence.rules import evidence_registry

        return self._log([evidence.conformance], list(evidence_registry))


def _rule(rule: Any) -> dict[str, Any]:
    return {
        "id": rule.id,
        "name": "".join(part.title() for part in rule.id.split("-")),
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.rationale},
        "help": {"text": f"{rule.fix}\n\nFails:\n{rule.failing_example}{_with_log(rule)}"},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"severity": rule.severity.value, "entities": rule.entities},
    }


def _result(
    result: AuditResult, finding: Finding, index: dict[str, int], *, waived: bool = False
) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": index[finding.rule],
        "level": LEVELS[finding.severity],
        "message": {"text": finding.message},
        "partialFingerprints": {"journeygraph/v1": fingerprint(result.journey, finding)},
        "properties": {
            "journey": result.journey,
            "severity": finding.severity.value,
            "entities": list(finding.entities),
        },
    }
    if finding.location is not None:
        entry["locations"] = [
            {
                "physicalLocation": {
                    "artifactLocation": {
                        "uri": _uri(finding.location.file),
                        "uriBaseId": "SRCROOT",
                    },
                    "region": {
                        "startLine": finding.location.line,
                        "startColumn": finding.location.column,
                    },
                }
            }
        ]
    if waived:
        entry["suppressions"] = [{"kind": "inSource", "justification": finding.waiver or ""}]
    return entry


def _uri(file: str) -> str:
    """The map's path relative to the working directory, as a URI reference."""
    path = Path(file)
    if path.is_absolute():
        try:
            path = path.relative_to(Path.cwd())
        except ValueError:
            return path.as_uri()
    return "/".join(_quote(part) for part in path.as_posix().split("/"))


def _quote(part: str) -> str:
    return quote(part, safe="") if part not in (".", "..") else part


def _with_log(rule: Rule[Any]) -> str:
    # A log check's failing example fails on the log that goes with it.
    log = getattr(rule, "failing_log", None)
    return "" if log is None else f"\nwith the log:\n{LOG_HEADER}{log}"
