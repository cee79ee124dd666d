"""Who holds which role (R, A, C, I) on each touchpoint."""

from __future__ import annotations

from typing import NamedTuple

import networkx as nx

from journeygraph.graph import (
    DEPARTMENT,
    JOB_FUNCTION,
    OWNS,
    TOUCHPOINT,
    ids_of,
)
from journeygraph.model import Role
from journeygraph.roles import ROLES

__all__ = [
    "RoleSets",
    "department_of",
    "external_functions",
    "functions",
    "home_department",
    "raci",
]


class RoleSets(NamedTuple):
    """The functions holding each RACI role on one touchpoint."""

    R: frozenset[str]
    A: frozenset[str]
    C: frozenset[str]
    I: frozenset[str]  # noqa: E741 - the RACI letter

    def role(self, role: Role) -> frozenset[str]:
        """The functions holding ``role``."""
        return getattr(self, role)  # type: ignore[no-any-return]


_NONE: frozenset[str] = frozenset()
_EMPTY = RoleSets(_NONE, _NONE, _NONE, _NONE)


def functions(G: nx.MultiDiGraph) -> list[str]:
    """Job function ids in map order."""
    return list(ids_of(G, JOB_FUNCTION))


def raci(G: nx.MultiDiGraph) -> dict[str, RoleSets]:
    """The RACI sets of every touchpoint, in map order.

    Examples
    --------
    >>> from journeygraph.testing import tiny_graph
    >>> r = raci(tiny_graph())
    >>> sorted(r["shop"].R), sorted(r["ad"].A)
    (['sales'], [])
    """
    # One pass over each touchpoint's predecessors (its owners, its predecessors
    # in the journey, its personas), in the graph's own dicts: reading every
    # function's successors and grouping them by touchpoint took twice as long.
    pred = G._pred
    out: dict[str, RoleSets] = {}
    # Equal sets shared: a large map has few distinct ones besides the empty set.
    # Each list of functions, as read, is looked up before a set is made of it.
    shared: dict[frozenset[str], frozenset[str]] = {_NONE: _NONE}
    made: dict[tuple[str, ...], frozenset[str]] = {}
    same: dict[RoleSets, RoleSets] = {_EMPTY: _EMPTY}
    for t in ids_of(G, TOUCHPOINT):
        held: dict[str, list[str]] | None = None
        for (label, function), parallel in pred[(TOUCHPOINT, t)].items():
            if label != JOB_FUNCTION:
                continue
            for attrs in parallel.values():
                if attrs.get("type") == OWNS:
                    if held is None:
                        held = {}
                    role = attrs["role"]
                    holders = held.get(role)
                    if holders is None:
                        held[role] = [function]
                    else:  # a repeat (several edges of one role) the set drops
                        holders.append(function)
        if held is None:
            out[t] = _EMPTY
            continue
        sets = _role_sets(held, made, shared)
        # Equal `RoleSets` shared too: they are tuples, and the sets are shared already.
        out[t] = same.setdefault(sets, sets)
    return out


def _role_sets(
    held: dict[str, list[str]],
    made: dict[tuple[str, ...], frozenset[str]],
    shared: dict[frozenset[str], frozenset[str]],
) -> RoleSets:
    """The `RoleSets` of the functions ``held`` per role, equal sets shared."""
    sets = []
    for r in ROLES:
        holders = held.get(r)
        if holders is None:
            sets.append(_NONE)
            continue
        key = tuple(holders)
        one = made.get(key)
        if one is None:
            fresh = frozenset(key)
            one = made[key] = shared.setdefault(fresh, fresh)
        sets.append(one)
    return RoleSets(*sets)


def department_of(G: nx.MultiDiGraph) -> dict[str, str | None]:
    """The department id of every job function (``None`` where it has none)."""
    nodes = G._node  # the graph's own dict: its view's look-ups cost more than the reading
    return {
        function: nodes[(JOB_FUNCTION, function)].get("department") for function in functions(G)
    }


def home_department(G: nx.MultiDiGraph) -> dict[str, str | tuple[str, str]]:
    """Every function's department, a function without one being a department of its own.

    Two functions share a department exactly when their values here are equal.

    Examples
    --------
    >>> from journeygraph.testing import tiny_graph
    >>> home_department(tiny_graph())["sales"]
    ('', 'sales')
    """
    return {
        function: d if d is not None else ("", function) for function, d in department_of(G).items()
    }


def external_functions(G: nx.MultiDiGraph) -> set[str]:
    """The functions of departments marked ``external`` (outside firms).

    Examples
    --------
    >>> import journeygraph
    >>> sorted(external_functions(journeygraph.load("examples/mortgage.yaml").to_networkx()))
    ['valuer']
    """
    nodes = G.nodes
    return {
        function
        for function, d in department_of(G).items()
        if d is not None and nodes[(DEPARTMENT, d)].get("external")
    }
