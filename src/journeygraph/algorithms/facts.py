"""The derived views of one journey's graph that several outputs read: computed once.

A report draws the flow, the blueprint, the handoff network, the heat map, the
canvas and the scorecard from one graph; each reads the RACI sets, the
transitions, the declared handoffs' scopes. `GraphFacts` computes each on first
use and hands the same one to every reader, as `journeygraph.rules.RuleContext`
does for the rules of one audit. The functions stay pure: a fact is the
function's result on the graph, which must not change while the facts are read.

Examples
--------
>>> from journeygraph.testing import tiny_graph
>>> facts = GraphFacts(tiny_graph())
>>> facts.roles is facts.roles
True
>>> sorted(facts.network.graph.edges)
[('marketing', 'sales')]
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from journeygraph.algorithms.coverage import CoverageMatrix, coverage_matrix
from journeygraph.algorithms.handoffs import (
    FunctionNetwork,
    Scopes,
    function_network,
    handoff_scopes,
    handoff_slas,
)
from journeygraph.algorithms.journey import transitions
from journeygraph.algorithms.ownership import RoleSets, raci

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["GraphFacts"]


class GraphFacts:
    """The shared derived views of the graph ``G``, each computed on first use."""

    def __init__(self, G: nx.MultiDiGraph) -> None:
        self.G = G

    @cached_property
    def roles(self) -> dict[str, RoleSets]:
        """`journeygraph.algorithms.raci`: the RACI sets of every touchpoint."""
        return raci(self.G)

    @cached_property
    def transitions(self) -> nx.DiGraph:
        """`journeygraph.algorithms.transitions`: the transition graph."""
        return transitions(self.G)

    @cached_property
    def scopes(self) -> Scopes:
        """`journeygraph.algorithms.handoff_scopes`: what each declared handoff covers."""
        return handoff_scopes(self.G)

    @cached_property
    def slas(self) -> dict[tuple[str, str], str]:
        """`journeygraph.algorithms.handoff_slas`: the SLA of each declared handoff."""
        return handoff_slas(self.G)

    @cached_property
    def network(self) -> FunctionNetwork:
        """`journeygraph.algorithms.handoffs.function_network`: the handoff network."""
        return function_network(
            self.G, roles=self.roles, scopes=self.scopes, transitions_graph=self.transitions
        )

    @cached_property
    def matrix(self) -> CoverageMatrix:
        """`journeygraph.algorithms.coverage_matrix`: functions by stages."""
        return coverage_matrix(self.G, roles=self.roles)
