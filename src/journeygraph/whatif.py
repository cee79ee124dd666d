"""What if: a function or department went away, or the organisation became a to-be design.

What breaks, who the journey leans on, and, for a to-be organisation, what it
changes side by side: findings, coverage, capacity and, with an event log,
what the customers' own paths would meet.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from journeygraph._gc import paused_gc
from journeygraph.diff import MapDiff, diff_maps
from journeygraph.exceptions import JourneyGraphError, did_you_mean
from journeygraph.model import ROLES, JourneyMap
from journeygraph.rule_ids import HANDOFF_GAP, MISSING_ACCOUNTABLE, UNOWNED_TOUCHPOINT
from journeygraph.rules import Finding
from journeygraph.scenario.model import Change, Scenario
from journeygraph.severity import Severity

if TYPE_CHECKING:
    from journeygraph.algorithms import Capacity
    from journeygraph.evidence.discovery.flow import ObservedFlow
    from journeygraph.scenario.replay import Replay

__all__ = [
    "REPLAY_CAVEAT",
    "CapacityChange",
    "Dependence",
    "OrganisationCoverage",
    "Suggestion",
    "ToBe",
    "WhatIf",
    "compare_to_be",
    "dependence_ranking",
    "organisation_coverage",
    "remove_functions",
    "suggest",
    "suggest_plan",
    "what_if",
]

REPLAY_CAVEAT = (
    "The replay keeps the paths customers took and changes who serves them; "
    "it does not predict new paths."
)
"""What every view of a replay says with its figures."""


def remove_functions(
    m: JourneyMap, functions: Iterable[str] = (), departments: Iterable[str] = ()
) -> JourneyMap:
    """The map without these functions (and the functions of these departments).

    Their roles and handoffs go with them; touchpoints stay, possibly unowned.

    Examples
    --------
    >>> from journeygraph.testing import tiny_map
    >>> smaller = remove_functions(tiny_map(), ["sales"])
    >>> [function.id for function in smaller.functions], smaller.touchpoints[1].owners.responsible
    (['marketing'], [])
    """
    gone_departments = set(departments)
    _check(gone_departments, {d.id for d in m.departments}, "department")
    gone = set(functions)
    _check(gone, {function.id for function in m.functions}, "function")
    gone |= {function.id for function in m.functions if function.department in gone_departments}
    data: dict[str, Any] = m.model_dump(by_alias=True)
    data["departments"] = [d for d in data["departments"] if d["id"] not in gone_departments]
    data["functions"] = [function for function in data["functions"] if function["id"] not in gone]
    for t in data["touchpoints"]:
        for role in ROLES:
            t["owners"][role] = [function for function in t["owners"][role] if function not in gone]
    data["handoffs"] = [
        h for h in data["handoffs"] if h["from"] not in gone and h["to"] not in gone
    ]
    return JourneyMap.model_validate(data)


def _check(asked: set[str], known: set[str], kind: str) -> None:
    for ident in sorted(asked - known):
        raise JourneyGraphError(f"unknown {kind} {ident!r}{did_you_mean(ident, known)}")


@dataclass
class WhatIf:
    """The effect of removing functions: what is left without an owner, and new gaps."""

    removed: list[str]
    diff: MapDiff
    without_responsible: list[str]
    without_accountable: list[str]
    new_gaps: list[Finding]
    uncovered_stages: list[str]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data."""
        return {
            "removed": self.removed,
            "without_responsible": self.without_responsible,
            "without_accountable": self.without_accountable,
            "new_handoff_gaps": [finding.to_dict() for finding in self.new_gaps],
            "uncovered_stages": self.uncovered_stages,
            "appeared": [finding.to_dict() for finding in self.diff.appeared],
            "resolved": [finding.to_dict() for finding in self.diff.resolved],
        }


def what_if(
    m: JourneyMap, *, functions: Iterable[str] = (), departments: Iterable[str] = ()
) -> WhatIf:
    """What removing ``functions`` and ``departments`` would do to the journey.

    Examples
    --------
    >>> from journeygraph.testing import tiny_map
    >>> effect = what_if(tiny_map(), functions=["sales"])
    >>> effect.without_responsible, effect.without_accountable, effect.uncovered_stages
    (['shop'], ['shop'], ['last'])
    """
    with paused_gc():
        smaller = remove_functions(m, functions, departments)
    removed = sorted(
        {function.id for function in m.functions} - {function.id for function in smaller.functions}
    )
    before = {t.id: t.owners for t in m.touchpoints}
    after = {t.id: t.owners for t in smaller.touchpoints}
    d = diff_maps(m, smaller)
    return WhatIf(
        removed=removed,
        diff=d,
        without_responsible=[
            t for t in before if before[t].responsible and not after[t].responsible
        ],
        without_accountable=[
            t for t in before if before[t].accountable and not after[t].accountable
        ],
        new_gaps=[finding for finding in d.appeared if finding.rule == HANDOFF_GAP],
        uncovered_stages=[
            s for s in d.matrix_after.uncovered if s not in d.matrix_before.uncovered
        ],
    )


@dataclass(frozen=True)
class Dependence:
    """How much of the journey depends on one function alone."""

    function: str
    sole_responsible: int
    """Touchpoints where it is the only Responsible function."""
    sole_accountable: int
    """Touchpoints where it is the only Accountable function."""
    sole_stages: tuple[str, ...]
    """Stages where it is the only Responsible function of any touchpoint."""
    handoffs: int
    """Declared handoffs it takes part in."""

    @property
    def score(self) -> int:
        """Touchpoints left without R or A if it went, plus 5 for each stage left uncovered."""
        return self.sole_responsible + self.sole_accountable + 5 * len(self.sole_stages)


def dependence_ranking(m: JourneyMap) -> list[Dependence]:
    """Functions by how much of the journey depends on them alone, most first.

    One pass over the touchpoints, not one audit per function: a function's
    removal leaves a touchpoint without R exactly when it is its only R, and a
    stage uncovered exactly when it is the only R function in the stage.

    Examples
    --------
    >>> from journeygraph.testing import tiny_map
    >>> [(d.function, d.sole_responsible, d.sole_stages) for d in dependence_ranking(tiny_map())]
    [('sales', 1, ('last',)), ('marketing', 1, ('first',))]
    """
    sole_r: Counter[str] = Counter()
    sole_a: Counter[str] = Counter()
    stage_r: dict[str, set[str]] = {s.id: set() for s in m.stages}
    for t in m.touchpoints:
        if len(set(t.owners.responsible)) == 1:
            sole_r[t.owners.responsible[0]] += 1
        if len(set(t.owners.accountable)) == 1:
            sole_a[t.owners.accountable[0]] += 1
        stage_r[t.stage].update(t.owners.responsible)
    alone: dict[str, list[str]] = {}
    for stage, held in stage_r.items():
        if len(held) == 1:
            alone.setdefault(next(iter(held)), []).append(stage)
    handoffs: Counter[str] = Counter()
    for h in m.handoffs:
        handoffs.update((h.from_, h.to))
    ranking = [
        Dependence(
            function.id,
            sole_r[function.id],
            sole_a[function.id],
            tuple(alone.get(function.id, [])),
            handoffs[function.id],
        )
        for function in m.functions
    ]
    order = {function.id: i for i, function in enumerate(m.functions)}
    return sorted(ranking, key=lambda d: (-d.score, -d.handoffs, order[d.function]))


@dataclass(frozen=True)
class OrganisationCoverage:
    """What an organisation leaves without an owner, and where its handoff network is fragile."""

    without_responsible: list[str]
    """Touchpoints with no Responsible function."""
    without_accountable: list[str]
    """Touchpoints with no Accountable function."""
    uncovered_stages: list[str]
    """Stages where no touchpoint has a Responsible function."""
    single_points_of_failure: list[str]
    """Functions whose removal would split the handoff network."""

    def to_dict(self) -> dict[str, list[str]]:
        """JSON-ready data."""
        return {
            "without_responsible": self.without_responsible,
            "without_accountable": self.without_accountable,
            "uncovered_stages": self.uncovered_stages,
            "single_points_of_failure": self.single_points_of_failure,
        }


def organisation_coverage(m: JourneyMap) -> OrganisationCoverage:
    """The coverage of ``m``'s organisation.

    Examples
    --------
    >>> from journeygraph.testing import tiny_map
    >>> organisation_coverage(tiny_map()).without_accountable
    ['ad']
    """
    from journeygraph import algorithms as alg
    from journeygraph.algorithms.handoffs import single_points_of_failure

    G = m.to_networkx()
    return OrganisationCoverage(
        without_responsible=[t.id for t in m.touchpoints if not t.owners.responsible],
        without_accountable=[t.id for t in m.touchpoints if not t.owners.accountable],
        uncovered_stages=list(alg.uncovered_stages(G)),
        single_points_of_failure=single_points_of_failure(G),
    )


@dataclass(frozen=True)
class CapacityChange:
    """One function's monthly work against its people, before and after."""

    function: str
    before: Capacity | None
    """As-is (None: the function is not in the as-is map)."""
    after: Capacity | None
    """To-be (None: the function is gone)."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data: minutes of work, minutes available, load, each side."""

        def side(c: Capacity | None) -> dict[str, Any] | None:
            if c is None:
                return None
            available = None if c.available is None else float(c.available)
            return {"minutes": float(c.minutes), "available": available, "load": c.load}

        return {"function": self.function, "before": side(self.before), "after": side(self.after)}


def _capacity(as_is: JourneyMap, to_be: JourneyMap) -> list[CapacityChange]:
    from journeygraph.algorithms import capacities

    before = {c.function: c for c in capacities(as_is.to_networkx())}
    after = {c.function: c for c in capacities(to_be.to_networkx())}
    order = [*before, *(function for function in after if function not in before)]
    return [
        CapacityChange(function, before.get(function), after.get(function)) for function in order
    ]


@dataclass
class ToBe:
    """The as-is and the to-be organisation side by side."""

    as_is: JourneyMap
    to_be: JourneyMap
    diff: MapDiff
    """The changes, and the findings that appeared and were resolved."""
    unchanged: list[Finding]
    """Findings of the to-be that the as-is has too (matched on rule and entities)."""
    coverage: tuple[OrganisationCoverage, OrganisationCoverage]
    """As-is, to-be."""
    capacity: list[CapacityChange]
    """Every function of either map: as-is order, then functions the to-be adds."""
    replay: tuple[Replay, Replay] | None = None
    """With an event log: the customers' paths replayed against as-is, to-be."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data."""
        data: dict[str, Any] = {
            "changes": [c.to_dict() for c in self.diff.changes],
            "findings": {
                "appeared": [finding.to_dict() for finding in self.diff.appeared],
                "resolved": [finding.to_dict() for finding in self.diff.resolved],
                "unchanged": [finding.to_dict() for finding in self.unchanged],
            },
            "summary": {"as_is": self.diff.old.summary(), "to_be": self.diff.new.summary()},
            "coverage": {
                "as_is": self.coverage[0].to_dict(),
                "to_be": self.coverage[1].to_dict(),
            },
            "capacity": [c.to_dict() for c in self.capacity],
        }
        if self.replay is not None:
            data["replay"] = {
                "note": REPLAY_CAVEAT,
                "as_is": self.replay[0].to_dict(),
                "to_be": self.replay[1].to_dict(),
            }
        return data


def compare_to_be(
    as_is: JourneyMap, to_be: JourneyMap, *, flow: ObservedFlow | None = None
) -> ToBe:
    """The as-is and the to-be organisation side by side; with ``flow``, replayed on real paths.

    Examples
    --------
    >>> from journeygraph.scenario import Scenario, apply
    >>> from journeygraph.testing import tiny_map
    >>> s = Scenario.model_validate({"version": 1, "changes": [
    ...     {"add_handoff": {"from": "marketing", "to": "sales", "sla": "1d"}}]})
    >>> side = compare_to_be(tiny_map(), apply(tiny_map(), s))
    >>> [finding.rule for finding in side.diff.resolved]
    ['handoff-gap']
    >>> [finding.rule for finding in side.diff.appeared]
    []
    """
    with paused_gc():
        d = diff_maps(as_is, to_be)
    had = {(finding.rule, finding.entities) for finding in d.old.findings}
    replayed = None
    if flow is not None:
        from journeygraph.scenario.replay import replay

        before, after = replay(flow, [as_is, to_be])
        replayed = (before, after)
    return ToBe(
        as_is=as_is,
        to_be=to_be,
        diff=d,
        unchanged=[
            finding for finding in d.new.findings if (finding.rule, finding.entities) in had
        ],
        coverage=(organisation_coverage(as_is), organisation_coverage(to_be)),
        capacity=_capacity(as_is, to_be),
        replay=replayed,
    )


@dataclass(frozen=True)
class Suggestion:
    """One small change to the organisation, and what it would do."""

    summary: str
    """The change in words, by ids: ``declare a handoff from sdr to ae``."""
    scenario: Scenario
    """The scenario that applies it."""
    resolved: list[Finding]
    appeared: list[Finding]
    customers_spared: int | None = None
    """With a log: customers who would no longer meet an undeclared change of hands."""

    @property
    def high_resolved(self) -> int:
        """High findings resolved, less high findings that appear."""
        return sum(finding.severity is Severity.HIGH for finding in self.resolved) - sum(
            finding.severity is Severity.HIGH for finding in self.appeared
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data, the scenario as it would be written."""
        return {
            "change": self.summary,
            "high_resolved": self.high_resolved,
            "resolved": [finding.to_dict() for finding in self.resolved],
            "appeared": [finding.to_dict() for finding in self.appeared],
            "customers_spared": self.customers_spared,
            "scenario": self.scenario.model_dump(mode="json", by_alias=True, exclude_defaults=True),
        }


def _single_changes(m: JourneyMap, findings: Iterable[Finding]) -> Iterable[tuple[str, Change]]:
    """The candidate changes, each with its summary, in a fixed order without repeats."""
    responsible = {t.id: t.owners.responsible for t in m.touchpoints}
    stage_of = {t.id: t.stage for t in m.touchpoints}
    seen: set[str] = set()

    def once(summary: str, change: dict[str, Any]) -> Iterable[tuple[str, Change]]:
        if summary not in seen:
            seen.add(summary)
            yield summary, Change.model_validate(change)

    for finding in findings:
        if finding.rule == HANDOFF_GAP:
            a, b = finding.entities
            for giver in responsible[a]:
                for taker in responsible[b]:
                    yield from once(
                        f"declare a handoff from {giver} to {taker}",
                        {"add_handoff": {"from": giver, "to": taker}},
                    )
            # The neighbouring step's function does the work: no change of hands.
            yield from once(
                f"give R of {b} to {responsible[a][0]}",
                {"move_role": {"touchpoint": b, "role": "R", "to": responsible[a][0]}},
            )
        elif finding.rule in (UNOWNED_TOUCHPOINT, MISSING_ACCOUNTABLE):
            (touchpoint,) = finding.entities
            accountable = _stage_accountable(m, stage_of[touchpoint])
            if accountable is not None:
                yield from once(
                    f"make {accountable} (the stage's Accountable) A of {touchpoint}",
                    {"move_role": {"touchpoint": touchpoint, "role": "A", "to": accountable}},
                )


def _stage_accountable(m: JourneyMap, stage: str) -> str | None:
    """The function Accountable for most touchpoints of the stage (the first in map order
    among equals), if any is."""
    held = Counter(
        function for t in m.touchpoints if t.stage == stage for function in t.owners.accountable
    )
    if not held:
        return None
    order = {function.id: i for i, function in enumerate(m.functions)}
    return min(held, key=lambda function: (-held[function], order.get(function, 0)))


def suggest(m: JourneyMap, *, flow: ObservedFlow | None = None, top: int = 10) -> list[Suggestion]:
    """The single changes that do the most good, best first.

    Candidates: declare the missing handoff of each handoff gap (each pair of
    the gap's functions), give the gap's second touchpoint to the function of
    the first (no change of hands), make an unowned touchpoint's or one without
    an Accountable the stage's Accountable. Each is applied and audited; they
    rank by high findings resolved (less those that appear), then, with
    ``flow``, by customers who would no longer meet an undeclared change of
    hands on their observed paths, then by all findings resolved.

    Examples
    --------
    >>> from journeygraph.testing import tiny_map
    >>> [s.summary for s in suggest(tiny_map())]
    ['declare a handoff from marketing to sales', 'give R of shop to marketing']
    """
    from journeygraph.audit import audit
    from journeygraph.scenario import apply

    before = audit(m)
    had = {(finding.rule, finding.entities): finding for finding in before.findings}
    tried = []
    for summary, change in _single_changes(m, before.findings):
        scenario = Scenario(version=1, name=summary, changes=[change])
        to_be = apply(m, scenario)
        now = {(finding.rule, finding.entities): finding for finding in audit(to_be).findings}
        resolved = [finding for key, finding in had.items() if key not in now]
        appeared = [finding for key, finding in now.items() if key not in had]
        tried.append((Suggestion(summary, scenario, resolved, appeared), to_be))
    if flow is not None and tried:
        from journeygraph.scenario.replay import replay

        figures = replay(flow, [m, *(to_be for _, to_be in tried)])
        tried = [
            (
                replace(
                    s, customers_spared=figures[0].customers_undeclared - r.customers_undeclared
                ),
                t,
            )
            for (s, t), r in zip(tried, figures[1:], strict=True)
        ]
    order = [s for s, _ in tried]
    order.sort(
        key=lambda s: (
            -s.high_resolved,
            -(s.customers_spared or 0),
            -len(s.resolved) + len(s.appeared),
        )
    )
    return order[:top]


def suggest_plan(
    m: JourneyMap, *, flow: ObservedFlow | None = None, max_changes: int = 3
) -> list[Suggestion]:
    """Up to ``max_changes`` changes chosen one at a time: the best single change, then
    the best on the map it leaves, and so on, while one still does good.

    Each step's figures are against the map the steps before it leave; its
    scenario holds every step so far, so the last one's applies the whole plan.
    A step does good when it resolves more findings than appear, or resolves
    high ones, or spares customers.

    Examples
    --------
    >>> from journeygraph.testing import tiny_map
    >>> [s.summary for s in suggest_plan(tiny_map())]
    ['declare a handoff from marketing to sales']
    """
    from journeygraph.scenario import apply

    plan: list[Suggestion] = []
    current = m
    for _ in range(max_changes):
        best = suggest(current, flow=flow, top=1)
        if not best or not _does_good(best[0]):
            break
        changes = [*(plan[-1].scenario.changes if plan else []), *best[0].scenario.changes]
        names = "; ".join(s.summary for s in [*plan, best[0]])
        plan.append(replace(best[0], scenario=Scenario(version=1, name=names, changes=changes)))
        current = apply(current, best[0].scenario)
    return plan


def _does_good(s: Suggestion) -> bool:
    return s.high_resolved > 0 or (s.customers_spared or 0) > 0 or len(s.resolved) > len(s.appeared)
