"""What if a function or department went away: what breaks, and who the journey leans on."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from journeygraph._gc import paused_gc
from journeygraph.diff import MapDiff, diff_maps
from journeygraph.exceptions import JourneyGraphError, did_you_mean
from journeygraph.model import ROLES, JourneyMap
from journeygraph.rule_ids import HANDOFF_GAP
from journeygraph.rules import Finding

__all__ = ["Dependence", "WhatIf", "dependence_ranking", "remove_functions", "what_if"]


def remove_functions(
    m: JourneyMap, functions: Iterable[str] = (), departments: Iterable[str] = ()
) -> JourneyMap:
    """The map without these functions (and the functions of these departments).

    Their roles and handoffs go with them; touchpoints stay, possibly unowned.

    Examples
    --------
    >>> from journeygraph.testing import tiny_map
    >>> smaller = remove_functions(tiny_map(), ["sales"])
    >>> [f.id for f in smaller.functions], smaller.touchpoints[1].owners.responsible
    (['marketing'], [])
    """
    gone_departments = set(departments)
    _check(gone_departments, {d.id for d in m.departments}, "department")
    gone = set(functions)
    _check(gone, {f.id for f in m.functions}, "function")
    gone |= {f.id for f in m.functions if f.department in gone_departments}
    data: dict[str, Any] = m.model_dump(by_alias=True)
    data["departments"] = [d for d in data["departments"] if d["id"] not in gone_departments]
    data["functions"] = [f for f in data["functions"] if f["id"] not in gone]
    for t in data["touchpoints"]:
        for role in ROLES:
            t["owners"][role] = [f for f in t["owners"][role] if f not in gone]
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
            "new_handoff_gaps": [f.to_dict() for f in self.new_gaps],
            "uncovered_stages": self.uncovered_stages,
            "appeared": [f.to_dict() for f in self.diff.appeared],
            "resolved": [f.to_dict() for f in self.diff.resolved],
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
    removed = sorted({f.id for f in m.functions} - {f.id for f in smaller.functions})
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
        new_gaps=[f for f in d.appeared if f.rule == HANDOFF_GAP],
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
        Dependence(f.id, sole_r[f.id], sole_a[f.id], tuple(alone.get(f.id, [])), handoffs[f.id])
        for f in m.functions
    ]
    order = {f.id: i for i, f in enumerate(m.functions)}
    return sorted(ranking, key=lambda d: (-d.score, -d.handoffs, order[d.function]))
