"""Expected figures per customer, from the journey as an absorbing Markov chain.

Touchpoints are the transient states; ending the journey is the absorbing
one. With ``Q`` the touchpoint-to-touchpoint probabilities and ``s`` where
customers start, the expected visits to each touchpoint are ``s (I - Q)^-1``
(the fundamental matrix), and any per-step figure (a change of hands, a step
back round a loop) has for its expectation the visits times the chance that
the next step is one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import networkx as nx

try:
    import numpy as np
except ModuleNotFoundError as _err:  # a library user reads which extra to install
    from journeygraph.extras import missing_extra

    raise (missing_extra(_err) or _err) from None

from journeygraph import algorithms as alg
from journeygraph.exceptions import JourneyGraphError

__all__ = ["Chain", "Expectation", "expectations", "loop_steps", "trapped"]

Step = tuple[str, str]


@dataclass(frozen=True)
class Chain:
    """A journey as a Markov chain.

    Attributes
    ----------
    start
        Probability that a customer starts at each touchpoint.
    steps
        Probability of each step ``(a, b)`` from ``a``; what is missing from
        ``a``'s total is the chance the journey ends at ``a``.
    """

    start: Mapping[str, float]
    steps: Mapping[Step, float]


@dataclass(frozen=True)
class Expectation:
    """What one customer can expect, on average.

    Attributes
    ----------
    steps
        Steps from touchpoint to touchpoint.
    changes_of_hands
        Steps where responsibility changes hands.
    loop_steps
        Steps back round a loop (to the same or an earlier stage, inside a loop).
    """

    steps: float
    changes_of_hands: float
    loop_steps: float


def expectations(chain: Chain, *, changes: set[Step], loops: set[Step]) -> Expectation:
    """The expected steps, changes of hands and loop steps per customer.

    Raises
    ------
    JourneyGraphError
        When customers could go on for ever: some touchpoints lead only to each
        other and none of them can end the journey.

    Examples
    --------
    A customer at ``a`` goes to ``b`` or ends, half and half; ``b`` always
    goes back to ``a``, with a change of hands:

    >>> chain = Chain({"a": 1.0}, {("a", "b"): 0.5, ("b", "a"): 1.0})
    >>> e = expectations(chain, changes={("b", "a")}, loops={("b", "a")})
    >>> e.steps, e.changes_of_hands
    (2.0, 1.0)
    """
    states = sorted({*chain.start, *(x for step in chain.steps for x in step)})
    index = {s: i for i, s in enumerate(states)}
    n = len(states)
    if n == 0:
        return Expectation(0.0, 0.0, 0.0)
    Q = np.zeros((n, n))
    for (a, b), p in chain.steps.items():
        Q[index[a], index[b]] += p
    start = np.zeros(n)
    for s, p in chain.start.items():
        start[index[s]] = p
    try:
        # Expected visits v solve v (I - Q) = start.
        visits = np.linalg.solve((np.eye(n) - Q).T, start)
    except np.linalg.LinAlgError:
        visits = None
    if visits is None or not np.all(np.isfinite(visits)) or np.any(visits < -1e-9):
        inside = trapped(chain)
        raise JourneyGraphError(
            "customers could go round for ever: no touchpoint among "
            f"{', '.join(map(repr, inside[:5]))} ends the journey; mark one `exit: true` "
            "or give the loop a way out"
        )

    def expected(selected: set[Step] | None) -> float:
        total = 0.0
        for (a, b), p in chain.steps.items():
            if selected is None or (a, b) in selected:
                total += visits[index[a]] * p
        return round(float(total), 6)

    return Expectation(expected(None), expected(changes), expected(loops))


def trapped(chain: Chain) -> list[str]:
    """The states, sorted, of a part of ``chain`` that customers can enter and never leave.

    Examples
    --------
    >>> trapped(Chain({"a": 1.0}, {("a", "b"): 1.0, ("b", "a"): 1.0}))
    ['a', 'b']
    """
    G = nx.DiGraph(step for step, p in chain.steps.items() if p > 0)
    leaky = {a for a in G if sum(p for (x, _), p in chain.steps.items() if x == a) < 1 - 1e-9}
    for component in nx.strongly_connected_components(G):
        closed = all(set(G.successors(x)) <= component for x in component)
        if closed and not component & leaky:
            return sorted(component)
    return sorted(G)


def loop_steps(G: nx.MultiDiGraph, observed: set[Step] | None = None) -> set[Step]:
    """The steps that go back round a loop: inside one loop, to the same or an earlier stage.

    ``observed`` adds steps the map does not have (from a log) to the loops. A step
    the map marks as an intended cycle is no step back, and the loops are found
    without it, as the loop rule finds them (`journeygraph.algorithms.loops`).
    """
    T = alg.transitions(G).copy()
    T.remove_edges_from([(a, b) for a, b, cycle in T.edges(data="cycle") if cycle is not None])
    if observed:
        stage = alg.stage_of(G)
        T.add_edges_from((a, b) for a, b in observed if a in stage and b in stage)
    position = {s: i for i, s in enumerate(alg.stages(G))}
    stage = alg.stage_of(G)
    back: set[Step] = set()
    for component in nx.strongly_connected_components(T):
        for a in component:
            for b in T.successors(a):
                if b in component and position[stage[b]] <= position[stage[a]]:
                    back.add((a, b))
    return back
