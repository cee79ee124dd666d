"""The customer layer and the organisation's capacity: pure functions over the graph.

Accountability that sits far from the work, accountability concentrated on one
function, pain points no planned improvement addresses, and the work each
function is Responsible for against the people it has.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from fractions import Fraction

import networkx as nx

from journeygraph.algorithms.journey import touchpoints
from journeygraph.algorithms.ownership import RoleSets, functions, home_department, raci
from journeygraph.algorithms.workload import share_fraction
from journeygraph.graph import (
    FEELS,
    IMPROVES,
    JOB_FUNCTION,
    OPPORTUNITY,
    PERSONA,
    TOUCHPOINT,
    ids_of,
    node_key,
)
from journeygraph.model import MINUTES_PER_MONTH

__all__ = [
    "Capacity",
    "accountability_concentration",
    "capacities",
    "over_capacity",
    "pain_points",
    "split_accountability",
    "unaddressed_pain_points",
]


def split_accountability(
    G: nx.MultiDiGraph, *, roles: Mapping[str, RoleSets] | None = None
) -> Iterator[str]:
    """Touchpoints whose Responsible and Accountable functions share no department.

    A function without a department is a department of its own, as for
    handoff gaps. In map order.

    Examples
    --------
    >>> from journeygraph.testing import tiny_graph
    >>> list(split_accountability(tiny_graph()))
    []
    """
    roles = raci(G) if roles is None else roles
    department = home_department(G)
    for t, sets in roles.items():
        if (
            sets.R
            and sets.A
            and {department[responsible] for responsible in sets.R}.isdisjoint(
                [department[accountable] for accountable in sets.A]
            )
        ):
            yield t


def accountability_concentration(
    G: nx.MultiDiGraph,
    *,
    share: float = 0.25,
    minimum: int = 5,
    roles: Mapping[str, RoleSets] | None = None,
) -> Iterator[tuple[str, int]]:
    """Functions sole Accountable on at least ``minimum`` touchpoints and on more
    than ``share`` of all touchpoints, with their count, in map order.

    The comparison is exact (``share`` as the fraction its decimal says).

    Examples
    --------
    >>> from journeygraph.testing import tiny_graph
    >>> list(accountability_concentration(tiny_graph(), share=0.4, minimum=1))
    [('sales', 1)]
    """
    roles = raci(G) if roles is None else roles
    sole: dict[str, int] = {}
    for sets in roles.values():
        if len(sets.A) == 1:
            (function,) = sets.A
            sole[function] = sole.get(function, 0) + 1
    total = len(roles)
    limit = share_fraction(share)
    for function in functions(G):
        count = sole.get(function, 0)
        if count >= minimum and count * limit.denominator > limit.numerator * total:
            yield function, count


def pain_points(G: nx.MultiDiGraph, touchpoint: str) -> list[str]:
    """Every pain point of ``touchpoint``: every customer's, then each persona's.

    Examples
    --------
    >>> import journeygraph
    >>> G = journeygraph.load("examples/mortgage.yaml").to_networkx()
    >>> pain_points(G, "more-information")
    ['Requests come one at a time, days apart']
    """
    key = node_key(TOUCHPOINT, touchpoint)
    found = list(G.nodes[key].get("pain_points") or [])
    for _, _, attrs in G.in_edges(key, data=True):
        if attrs["type"] == FEELS:
            found.extend(attrs.get("pain_points") or [])
    return found


def unaddressed_pain_points(G: nx.MultiDiGraph) -> Iterator[tuple[str, list[str]]]:
    """Touchpoints with a pain point that no opportunity lists, with the pain points.

    Examples
    --------
    >>> import journeygraph
    >>> G = journeygraph.load("examples/mortgage.yaml").to_networkx()
    >>> [t for t, _ in unaddressed_pain_points(G)]
    ['calculator', 'full-application', 'rate-review']
    """
    # Only opportunities and personas lead to the touchpoints that matter here:
    # read their few edges, not every touchpoint's.
    improved: set[str] = set()
    felt: set[str] = set()
    for node in ids_of(G, OPPORTUNITY):
        improved.update(
            v[1] for _, v, kind in G.out_edges((OPPORTUNITY, node), data="type") if kind == IMPROVES
        )
    for node in ids_of(G, PERSONA):
        felt.update(
            v[1]
            for _, v, attrs in G.out_edges((PERSONA, node), data=True)
            if attrs["type"] == FEELS and attrs.get("pain_points")
        )
    nodes = G._node  # the graph's own dict: its view's look-ups cost more than the reading
    for t in touchpoints(G):
        if t not in improved and (t in felt or nodes[(TOUCHPOINT, t)].get("pain_points")):
            yield t, pain_points(G, t)


@dataclass(frozen=True)
class Capacity:
    """The monthly work a function is Responsible for, against its people.

    Work is ``volume`` × ``handle_minutes`` of each touchpoint it is
    Responsible for, split evenly among the touchpoint's Responsible functions;
    touchpoints without both are left out (and counted in ``unmeasured``).
    """

    function: str
    minutes: Fraction
    """Minutes of work a month (exact)."""
    available: Fraction | None
    """``fte`` × 7,200 minutes, or ``None`` where the function gives no ``fte``."""
    touchpoints: int
    """Touchpoints with volume and handle time it is Responsible for."""
    unmeasured: int
    """Touchpoints it is Responsible for that lack volume or handle time."""

    @property
    def load(self) -> float | None:
        """Work as a share of the minutes available, if known."""
        return None if not self.available else float(self.minutes / self.available)


def capacities(
    G: nx.MultiDiGraph, *, roles: Mapping[str, RoleSets] | None = None
) -> list[Capacity]:
    """The capacity of every function, in map order.

    Examples
    --------
    >>> import journeygraph
    >>> G = journeygraph.load("examples/mortgage.yaml").to_networkx()
    >>> c = {c.function: c for c in capacities(G)}["valuer"]
    >>> float(c.minutes), float(c.available), round(c.load, 3)
    (90000.0, 86400.0, 1.042)
    """
    roles = raci(G) if roles is None else roles
    nodes = G._node  # the graph's own dict: its view's look-ups cost more than the reading
    work: dict[str, Fraction] = {}
    measured: dict[str, int] = {}
    unmeasured: dict[str, int] = {}
    for t, sets in roles.items():
        attrs = nodes[(TOUCHPOINT, t)]
        volume, minutes = attrs.get("volume"), attrs.get("handle_minutes")
        for function in sets.R:
            if volume is None or minutes is None:
                unmeasured[function] = unmeasured.get(function, 0) + 1
                continue
            # Exact arithmetic: the sum does not depend on the order of the terms.
            share = Fraction(volume) * Fraction(minutes) / len(sets.R)
            work[function] = work.get(function, Fraction(0)) + share
            measured[function] = measured.get(function, 0) + 1
    out = []
    for function in functions(G):
        fte = nodes[(JOB_FUNCTION, function)].get("fte")
        out.append(
            Capacity(
                function,
                work.get(function, Fraction(0)),
                None if fte is None else Fraction(fte) * MINUTES_PER_MONTH,
                measured.get(function, 0),
                unmeasured.get(function, 0),
            )
        )
    return out


def over_capacity(capacity: Capacity, share: float) -> bool:
    """Whether the work exceeds ``share`` of the minutes available (exact)."""
    return (
        capacity.available is not None
        and capacity.touchpoints > 0
        and capacity.minutes > share_fraction(share) * capacity.available
    )
