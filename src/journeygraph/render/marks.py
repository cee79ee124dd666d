"""What the audit found, indexed for drawing."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from journeygraph.audit import AuditResult
from journeygraph.model import Severity
from journeygraph.rule_ids import LOOP

__all__ = ["Marks"]


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
        """The marks of ``result`` (none for ``None``)."""
        by_rule: dict[str, dict[tuple[str, ...], Severity]] = defaultdict(dict)
        details: dict[tuple[str, tuple[str, ...]], dict[str, Any]] = {}
        for finding in result.findings if result else ():
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
