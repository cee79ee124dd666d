"""The coverage matrix: which job function holds which role in which stage."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import networkx as nx

from journeygraph.algorithms.journey import stage_of, stages
from journeygraph.algorithms.ownership import RoleSets, department_of, functions, raci
from journeygraph.graph import DEPARTMENT, JOB_FUNCTION, STAGE, ids_of
from journeygraph.model import ROLES

__all__ = ["CoverageMatrix", "CoverageRow", "coverage_matrix", "uncovered_stages"]


@dataclass(frozen=True)
class CoverageRow:
    """One function's roles per stage: ``cells[stage]`` is e.g. ``"RA"`` or ``""``."""

    function: str
    department: str | None
    cells: dict[str, str]
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    """Per stage, the touchpoints on which the function holds each role."""

    def text(self, stage: str) -> str:
        """The cell as people read it: each role held and on how many touchpoints.

        Examples
        --------
        >>> CoverageRow("f", None, {"s": "RA"}, {"s": {"R": 5, "A": 1}}).text("s")
        'R×5 A'
        """
        held = self.counts.get(stage, {})
        return " ".join(
            f"{r}×{held[r]}" if held.get(r, 1) > 1 else r for r in ROLES if r in self.cells[stage]
        )


@dataclass(frozen=True)
class CoverageMatrix:
    """Functions (grouped by department) x stages, each cell the RACI letters held.

    ``uncovered`` lists the stages where no touchpoint has a Responsible owner.
    """

    stages: list[str]
    rows: list[CoverageRow]
    uncovered: list[str] = field(default_factory=list)
    names: dict[tuple[str, str], str] = field(default_factory=dict)
    """Display names keyed by ``(label, id)`` for the stages, functions and departments."""
    empty: list[str] = field(default_factory=list)
    """Stages with no touchpoint (uncovered too, but for want of touchpoints, not owners)."""
    accountable: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Per stage, its touchpoints with no Accountable and with more than one."""

    def name(self, label: str, ident: str | None) -> str:
        """The display name of a stage, function or department (its id if unnamed)."""
        if ident is None:
            return ""
        return self.names.get((label, ident), ident)


def coverage_matrix(
    G: nx.MultiDiGraph, *, roles: Mapping[str, RoleSets] | None = None
) -> CoverageMatrix:
    """The functions x stages RACI matrix of the journey.

    Rows follow the departments' order in the map, each department's functions
    in map order; functions without a department come last.

    Examples
    --------
    >>> from journeygraph.testing import tiny_graph
    >>> m = coverage_matrix(tiny_graph())
    >>> [(row.function, row.cells) for row in m.rows]
    [('marketing', {'first': 'R', 'last': 'I'}), ('sales', {'first': '', 'last': 'RA'})]
    >>> m.uncovered
    []
    """
    roles = raci(G) if roles is None else roles
    order = stages(G)
    stage = stage_of(G)
    held: dict[str, dict[str, set[str]]] = {
        function: {s: set() for s in order} for function in functions(G)
    }
    counts: dict[str, dict[str, dict[str, int]]] = {
        function: {s: {} for s in order} for function in held
    }
    accountable = dict.fromkeys(order, (0, 0))
    for t, sets in roles.items():
        for role in ROLES:
            for function in sets.role(role):
                held[function][stage[t]].add(role)
                got = counts[function][stage[t]]
                got[role] = got.get(role, 0) + 1
        none, several = accountable[stage[t]]
        accountable[stage[t]] = (none + (not sets.A), several + (len(sets.A) > 1))
    department = department_of(G)
    rank = {d: i for i, d in enumerate(ids_of(G, DEPARTMENT))}
    ordered = sorted(held, key=lambda function: rank.get(department[function] or "", len(rank)))
    rows = [
        CoverageRow(
            function,
            department[function],
            {s: "".join(r for r in ROLES if r in held[function][s]) for s in order},
            counts[function],
        )
        for function in ordered
    ]
    nodes = G.nodes
    names = {
        key: nodes[key]["name"]
        for label in (STAGE, JOB_FUNCTION, DEPARTMENT)
        for key in ((label, i) for i in ids_of(G, label))
    }
    present = set(stage.values())
    return CoverageMatrix(
        order,
        rows,
        list(uncovered_stages(G, roles=roles)),
        names,
        [s for s in order if s not in present],
        accountable,
    )


def uncovered_stages(
    G: nx.MultiDiGraph, *, roles: Mapping[str, RoleSets] | None = None
) -> list[str]:
    """Stages where no touchpoint has a Responsible owner (empty stages included)."""
    roles = raci(G) if roles is None else roles
    stage = stage_of(G)
    covered = {stage[t] for t, sets in roles.items() if sets.R}
    return [s for s in stages(G) if s not in covered]
