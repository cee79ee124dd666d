"""The explicit registry of audit rules."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, Generic, TypeVar

from journeygraph.exceptions import UnknownRuleError, current_rule_id
from journeygraph.rule_ids import AUDIT_RULE_IDS, RULE_ALIASES, RULE_GROUPS
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

    def __init__(
        self,
        order: Sequence[str] = (),
        *,
        groups: Mapping[str, Sequence[str]] | None = None,
        aliases: Mapping[str, str] | None = None,
    ) -> None:
        self._rules: dict[str, RuleT] = {}
        self._order = {rule_id: i for i, rule_id in enumerate(order)}
        self.groups = dict(groups or {})
        """Group names to the ids they hold."""
        self.aliases = dict(aliases or {})
        """Old ids of renamed rules to their ids now."""

    def register(self, rule_class: type[RuleT]) -> type[RuleT]:
        """Add a rule class (usable as a decorator); its metadata must be complete, and a
        registry with an order takes only the ids it lists, in that order."""
        missing = [name for name in rule_class.required if not getattr(rule_class, name, None)]
        if missing:
            raise TypeError(f"rule {rule_class.__name__} lacks {', '.join(missing)}")
        if rule_class.id in self._rules:
            raise ValueError(f"duplicate rule id {rule_class.id!r}")
        if self._order and rule_class.id not in self._order:
            raise ValueError(f"rule id {rule_class.id!r} is not in the registry's order")
        self._rules[rule_class.id] = rule_class()
        if self._order:  # one ordered tuple decides, not the order of the imports
            ordered = sorted(self._rules, key=self._order.__getitem__)
            self._rules = {rule_id: self._rules[rule_id] for rule_id in ordered}
        return rule_class

    def get(self, rule_id: str) -> RuleT:
        """The rule with ``rule_id`` (or the id it had before a rename, with a warning)."""
        try:
            return self._rules[self._current(rule_id)]
        except KeyError:
            from journeygraph.exceptions import did_you_mean

            hint = did_you_mean(rule_id, self._rules) or "; 'journeygraph rules' lists them"
            raise UnknownRuleError(f"unknown rule {rule_id!r}{hint}") from None

    def _current(self, rule_id: str) -> str:
        return current_rule_id(rule_id, self.aliases)

    def expand(self, names: Iterable[str]) -> list[str]:
        """The rule ids that ``names`` (ids, old ids of renamed rules, or group names)
        stand for, in the registry's order.

        Raises
        ------
        UnknownRuleError
            For a name that is none of these, with the nearest one.

        Examples
        --------
        >>> from journeygraph.rules import registry
        >>> registry.expand(["handoffs", "loop"])
        ['handoff-gap', 'loop', 'unused-handoff', 'handoff-without-sla']
        """
        wanted: set[str] = set()
        for name in names:
            if name in self.groups:
                wanted.update(r for r in self.groups[name] if r in self._rules)
                continue
            rule_id = self._current(name)
            if rule_id not in self._rules:
                from journeygraph.exceptions import did_you_mean

                known = [*self._rules, *self.groups, *self.aliases]
                hint = did_you_mean(name, known) or "; 'journeygraph rules' lists rules and groups"
                raise UnknownRuleError(f"unknown rule or group {name!r}{hint}")
            wanted.add(rule_id)
        return [r for r in self._rules if r in wanted]

    def select(
        self, rules: Iterable[str] | None = None, exclude: Iterable[str] | None = None
    ) -> Registry[RuleT]:
        """A registry of the rules ``rules`` names (all by default) less those ``exclude``
        names, as linters' ``--rules`` and ``--exclude-rules`` do.

        Examples
        --------
        >>> from journeygraph.rules import registry
        >>> registry.select(["ownership"], ["missing-responsible"]).ids()[:2]
        ['unowned-touchpoint', 'missing-accountable']
        """
        kept = self.expand(rules) if rules is not None else self.ids()
        dropped = set(self.expand(exclude)) if exclude is not None else set()
        chosen: Registry[RuleT] = Registry(groups=self.groups, aliases=self.aliases)
        chosen._rules = {r: self._rules[r] for r in kept if r not in dropped}
        return chosen

    def ids(self) -> list[str]:
        """Rule ids in the registry's order."""
        return list(self._rules)

    def group_of(self, rule_id: str) -> str | None:
        """The group ``rule_id`` belongs to, if any."""
        return next((g for g, ids in self.groups.items() if rule_id in ids), None)

    def __iter__(self) -> Iterator[RuleT]:
        return iter(self._rules.values())

    def __len__(self) -> int:
        return len(self._rules)

    def __contains__(self, rule_id: object) -> bool:
        return rule_id in self._rules


registry: Registry[AuditRule] = Registry(AUDIT_RULE_IDS, groups=RULE_GROUPS, aliases=RULE_ALIASES)
"""The audit rules journeygraph ships, in the order of :data:`AUDIT_RULE_IDS`."""
