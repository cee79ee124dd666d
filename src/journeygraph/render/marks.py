"""What the audit found, indexed for drawing."""

from __future__ import annotations

import weakref
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from journeygraph.audit import AuditResult
from journeygraph.model import Severity
from journeygraph.rule_ids import LOOP

__all__ = ["Marks"]


_last: tuple[weakref.ref[AuditResult], int, int, Marks] | None = None
"""The marks last made (`Marks.of`): the result's (gone with it), for the identity of its
findings list and their count."""


def _forget(gone: weakref.ref[AuditResult]) -> None:
    """Let the marks of a result go with it."""
    global _last
    if _last is not None and _last[0] is gone:
        _last = None


@dataclass
class Marks:
    """The remaining findings of an audit, by rule and entities.

    Examples
    --------
    >>> import journeygraph
    >>> from journeygraph.testing import tiny_map
    >>> marks = Marks.of(journeygraph.audit(tiny_map()))
    >>> marks.has("handoff-gap", "ad", "shop")
    True
    """

    by_rule: dict[str, dict[tuple[str, ...], Severity]] = field(default_factory=dict)
    details: dict[tuple[str, tuple[str, ...]], dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def of(cls, result: AuditResult | None) -> Marks:
        """The marks of ``result`` (none for ``None``).

        A report draws a dozen diagrams of one audit, each asking for its marks
        (39,000 findings at 10,000 touchpoints): the marks of the last result asked
        for are kept, while it lives and its findings are the same list of the same
        length. They are read, never changed, by every drawing.
        """
        if result is None:
            return cls({}, {})
        global _last
        findings = result.findings
        if _last is not None:
            held, listed, count, marks = _last
            if held() is result and id(findings) == listed and len(findings) == count:
                return marks
        marks = cls._indexed(result)
        _last = (weakref.ref(result, _forget), id(findings), len(findings), marks)
        return marks

    @classmethod
    def _indexed(cls, result: AuditResult) -> Marks:
        by_rule: dict[str, dict[tuple[str, ...], Severity]] = defaultdict(dict)
        details: dict[tuple[str, tuple[str, ...]], dict[str, Any]] = {}
        for finding in result.findings:
            by_rule[finding.rule][finding.entities] = finding.severity
            details[(finding.rule, finding.entities)] = dict(finding.details)
        return cls(dict(by_rule), details)

    def has(self, rule: str, *entities: str) -> bool:
        """Whether ``rule`` found exactly these entities."""
        return entities in self.by_rule.get(rule, {})

    def severity(self, rule: str, *entities: str) -> Severity | None:
        """The severity of that finding, if there is one."""
        return self.by_rule.get(rule, {}).get(entities)

    def of_rule(self, rule: str) -> dict[tuple[str, ...], Severity]:
        """Every finding of ``rule``: entities to severity."""
        return self.by_rule.get(rule, {})

    def loop_edges(self) -> dict[tuple[str, str], str]:
        """Back edges of every loop to their kind, each intended cycle's marked transitions
        (``intended``), and each intra-stage loop's closing edge.

        A regression edge wins over anything else drawn on the same transition.
        """
        edges: dict[tuple[str, str], str] = {}
        for entities in self.of_rule(LOOP):
            info = self.details[(LOOP, entities)]
            for edge in info.get("intended", []):
                edges[(edge["from"], edge["to"])] = "intended"
        for entities in self.of_rule(LOOP):
            info = self.details[(LOOP, entities)]
            for edge in info.get("back_edges", []):
                edges[(edge["from"], edge["to"])] = str(edge["kind"])
        for entities in self.of_rule(LOOP):
            info = self.details[(LOOP, entities)]
            cycle = list(info.get("cycle", []))
            if info["kind"] == "intra-stage" and cycle:
                edges.setdefault((cycle[-1], cycle[0]), "intra-stage")
        return edges

    def count(self) -> int:
        """How many findings there are."""
        return sum(len(found) for found in self.by_rule.values())
