"""The explicit registry of audit rules."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Generic, TypeVar

from journeygraph.exceptions import UnknownRuleError
from journeygraph.rules.base import AuditRule, Rule

__all__ = ["Registry", "RuleT", "registry"]

RuleT = TypeVar("RuleT", bound=Rule[Any])


class Registry(Generic[RuleT]):
    """Rules by id, in registration order; refuses duplicate ids.

    Examples
    --------
    >>> from journeygraph.rules import registry
    >>> registry.get("dead-end").severity.value
    'medium'
    >>> registry.get("dead-ends")
    Traceback (most recent call last):
    ...
    journeygraph.exceptions.UnknownRuleError: unknown rule 'dead-ends'; did you mean 'dead-end'?
    """

    def __init__(self) -> None:
        self._rules: dict[str, RuleT] = {}

    def register(self, rule_class: type[RuleT]) -> type[RuleT]:
        """Add a rule class (usable as a decorator); its metadata must be complete."""
        missing = [name for name in rule_class.required if not getattr(rule_class, name, None)]
        if missing:
            raise TypeError(f"rule {rule_class.__name__} lacks {', '.join(missing)}")
        if rule_class.id in self._rules:
            raise ValueError(f"duplicate rule id {rule_class.id!r}")
        self._rules[rule_class.id] = rule_class()
        return rule_class

    def get(self, rule_id: str) -> RuleT:
        """The rule with ``rule_id``."""
        try:
            return self._rules[rule_id]
        except KeyError:
            from journeygraph.exceptions import did_you_mean

            hint = did_you_mean(rule_id, self._rules) or "; 'journeygraph rules' lists them"
            raise UnknownRuleError(f"unknown rule {rule_id!r}{hint}") from None

    def ids(self) -> list[str]:
        """Rule ids in registration order."""
        return list(self._rules)

    def __iter__(self) -> Iterator[RuleT]:
        return iter(self._rules.values())

    def __len__(self) -> int:
        return len(self._rules)

    def __contains__(self, rule_id: object) -> bool:
        return rule_id in self._rules


registry: Registry[AuditRule] = Registry()
"""The audit rules journeygraph ships, in the order of the docs."""
