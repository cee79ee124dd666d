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
    node_key,
    successors,
)
from journeygraph.model import Role

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
    roles: dict[str, dict[str, set[str]]] = {}
    succ = successors(G)
    for function in functions(G):
        for (_, t), parallel in succ[node_key(JOB_FUNCTION, function)].items():
            for attrs in parallel.values():
                if attrs.get("type") == OWNS:
                    roles.setdefault(t, {}).setdefault(attrs["role"], set()).add(function)
    out: dict[str, RoleSets] = {}
    # Equal sets shared: a large map has few distinct ones besides the empty set.
    shared: dict[frozenset[str], frozenset[str]] = {_NONE: _NONE}
    for t in ids_of(G, TOUCHPOINT):
        held = roles.get(t)
        if held is None:
            out[t] = _EMPTY
            continue
        sets = []
        for r in ("R", "A", "C", "I"):
            functions_ = held.get(r)
            one = _NONE if functions_ is None else frozenset(functions_)
            sets.append(shared.setdefault(one, one))
        out[t] = RoleSets(*sets)
    return out


def department_of(G: nx.MultiDiGraph) -> dict[str, str | None]:
    """The department id of every job function (``None`` where it has none)."""
    nodes = G.nodes
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
