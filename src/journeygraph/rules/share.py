"""One base for the rules that find a function holding too large a share of the journey.

`overloaded-function` (Responsible) and `accountability-concentration` (the only
Accountable) differ only in the role counted, the thresholds read and the words:
they say so as class attributes, and the check, the message and the reading of a
Cypher row are written once here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any, ClassVar

import networkx as nx

from journeygraph.rules.base import AuditRule, Finding, RuleContext

__all__ = ["ShareOfTouchpoints"]


class ShareOfTouchpoints(AuditRule):
    """A function holding a role on at least ``minimum`` touchpoints and on more than
    ``share`` of all of them (both from ``audit.thresholds``)."""

    subject_kind = "function"
    count_key: ClassVar[str]
    """The finding's detail that holds the count (``responsible_for``)."""
    share_setting: ClassVar[str]
    """The threshold with the share (``overload_share``)."""
    minimum_setting: ClassVar[str]
    """The threshold with the least count (``overload_min``)."""
    holds: ClassVar[str]
    """The role held, in the message's words (``is responsible for``)."""
    finder: ClassVar[Callable[..., Iterator[tuple[str, int]]]]
    """The algorithm: ``finder(G, share=, minimum=, roles=)`` gives (function, count)."""

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        limits = ctx.thresholds
        total = len(ctx.roles)
        find = type(self).finder
        graph: nx.MultiDiGraph = ctx.G
        for function, count in find(
            graph,
            share=getattr(limits, self.share_setting),
            minimum=getattr(limits, self.minimum_setting),
            roles=ctx.roles,
        ):
            yield self.finding(ctx, (function,), **self._counts(count, total))

    def message(
        self, ctx: RuleContext, entities: tuple[str, ...], details: Mapping[str, Any]
    ) -> str:
        limits = ctx.thresholds
        count, total = details[self.count_key], details["touchpoints"]
        share, minimum = getattr(limits, self.share_setting), getattr(limits, self.minimum_setting)
        return (
            f"Function {ctx.function(entities[0])} {self.holds} {count} of {total} "
            f"touchpoints ({count / total:.0%}; the limit is {share:.0%} "
            f"from {minimum} touchpoints on)."
        )

    def from_row(self, ctx: RuleContext, row: Mapping[str, Any]) -> Finding:
        counts = self._counts(row[self.count_key], row["touchpoints"])
        return self.finding(ctx, tuple(row["entities"]), **counts)

    def _counts(self, count: int, total: int) -> dict[str, Any]:
        return {self.count_key: count, "touchpoints": total, "share": round(count / total, 4)}
