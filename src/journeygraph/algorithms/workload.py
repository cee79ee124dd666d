"""How the work is spread over job functions: idle and overloaded functions."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from fractions import Fraction
from itertools import chain

import networkx as nx

from journeygraph.algorithms.handoffs import declared_handoffs
from journeygraph.algorithms.ownership import RoleSets, functions, raci

__all__ = ["idle_functions", "overloaded_functions", "responsible_counts", "share_fraction"]


def responsible_counts(
    G: nx.MultiDiGraph, *, roles: Mapping[str, RoleSets] | None = None
) -> Counter[str]:
    """For each function, the number of touchpoints it is Responsible for.

    Examples
    --------
    >>> from journeygraph.testing import tiny_graph
    >>> responsible_counts(tiny_graph())
    Counter({'marketing': 1, 'sales': 1})
    """
    roles = raci(G) if roles is None else roles
    # Counted in one call, in the order `update` per touchpoint would meet them.
    return Counter(chain.from_iterable([sets.R for sets in roles.values()]))


def idle_functions(
    G: nx.MultiDiGraph,
    *,
    roles: Mapping[str, RoleSets] | None = None,
    declared: Iterable[tuple[str, str]] | None = None,
) -> Iterator[str]:
    """Functions with no role on any touchpoint and in no handoff, in map order.

    Examples
    --------
    >>> from journeygraph.testing import tiny_graph
    >>> list(idle_functions(tiny_graph()))
    []
    """
    roles = raci(G) if roles is None else roles
    busy: set[str] = set()
    for sets in roles.values():
        busy.update(*sets)
    for giver, taker in declared_handoffs(G) if declared is None else declared:
        busy.update((giver, taker))
    return (function for function in functions(G) if function not in busy)


def overloaded_functions(
    G: nx.MultiDiGraph,
    *,
    share: float = 0.30,
    minimum: int = 5,
    roles: Mapping[str, RoleSets] | None = None,
) -> Iterator[tuple[str, int]]:
    """Functions Responsible for at least ``minimum`` touchpoints and more than
    ``share`` of all touchpoints, with their count, in map order.

    Examples
    --------
    >>> from journeygraph.testing import tiny_graph
    >>> list(overloaded_functions(tiny_graph(), share=0.4, minimum=1))
    [('marketing', 1), ('sales', 1)]
    """
    roles = raci(G) if roles is None else roles
    counts = responsible_counts(G, roles=roles)
    total = len(roles)
    # Exact: 29 of 50 is not more than 0.58, which floating point would say it is.
    limit = share_fraction(share)
    return (
        (function, counts[function])
        for function in functions(G)
        if counts[function] >= minimum
        and counts[function] * limit.denominator > limit.numerator * total
    )


def share_fraction(share: float) -> Fraction:
    """A share as the exact fraction its decimal says: ``0.58`` is 29/50, not 0.57999….

    Examples
    --------
    >>> share_fraction(0.58)
    Fraction(29, 50)
    """
    return Fraction(repr(share))
