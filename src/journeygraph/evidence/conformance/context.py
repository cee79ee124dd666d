"""What the conformance checks read: the map's graph, the observed flow, and facts from the log."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

import networkx as nx

from journeygraph import algorithms as alg
from journeygraph.graph import JOB_FUNCTION
from journeygraph.model import Thresholds
from journeygraph.rules.base import RuleContext

if TYPE_CHECKING:  # the checks never read the log themselves
    from journeygraph.evidence.discovery.flow import ObservedFlow

__all__ = ["BackStep", "EvidenceContext", "LogFacts", "LoopTraffic"]


@dataclass(frozen=True)
class BackStep:
    """One way round a loop that customers took.

    Attributes
    ----------
    source, target
        The step: across stages, one of the loop's back edges (to a touchpoint of an
        earlier stage); within a stage, a step between two of its touchpoints.
    kind
        ``regression`` or ``flywheel`` (a back edge), or ``repeat`` (within a stage).
    customers
        Distinct customers who took it (within a stage: arriving where they had been).
    times
        How often it was taken so.
    """

    source: str
    target: str
    kind: str
    customers: int
    times: int

    def to_dict(self) -> dict[str, object]:
        return {
            "from": self.source,
            "to": self.target,
            "kind": self.kind,
            "customers": self.customers,
            "times": self.times,
        }


@dataclass(frozen=True)
class LoopTraffic:
    """Who went round one loop of the map, by the definitions of `journeygraph.evidence`.

    Attributes
    ----------
    customers
        Distinct customers who went round: across stages, who took one of its back
        edges; within a stage, who took a step between two of its touchpoints arriving
        at one they had already visited.
    rounds
        The back steps (as above) those customers took, in all.
    steps
        Per back step, regressions first, then flywheels, then repeats, each most
        customers first.
    extra_seconds
        The median, over the customers who went round and came back to where they
        stepped back from, of the time from each step back to regaining the touchpoint
        they left, summed per customer; ``None`` when none came back.
    """

    customers: int
    rounds: int
    steps: tuple[BackStep, ...] = ()
    extra_seconds: float | None = None

    @property
    def rounds_per_customer(self) -> float:
        """Steps back per customer who went round."""
        return self.rounds / self.customers if self.customers else 0.0


@dataclass
class LogFacts:
    """Figures of the log that need the map to be computed (see `journeygraph.evidence.compare`).

    Attributes
    ----------
    drop_offs
        Per touchpoint, the customers whose journey ended there without reaching
        an ``exit`` touchpoint.
    loop_traffic
        Per loop of the audit (its sorted touchpoint ids) that customers went round,
        who went round it and how (:class:`LoopTraffic`).
    first_line
        Per touchpoint id in the log, the log line (or Parquet row) of its first event.
    exits
        How many customers reached an ``exit`` touchpoint.
    handoff_times
        Per declared handoff with an SLA ``(from, to)``, the steps customers took
        across the transitions it covers: customers, steps, and the median and
        90th percentile of the time between the two events, in seconds.
    undeclared
        See the attribute.
    returns
        Per touchpoint, the customers who came back to it other than by an intended
        cycle of the map (none of its marked steps taken since their last visit there);
        ``None`` when the map marks no cycle, and every return counts.
    """

    drop_offs: dict[str, int] = field(default_factory=dict)
    loop_traffic: dict[tuple[str, ...], LoopTraffic] = field(default_factory=dict)
    first_line: dict[str, int] = field(default_factory=dict)
    exits: int = 0
    handoff_times: dict[tuple[str, str], tuple[int, int, float, float]] = field(
        default_factory=dict
    )
    undeclared: dict[tuple[str, str], tuple[int, int, list[tuple[str, str, int]]]] = field(
        default_factory=dict
    )
    returns: dict[str, int] | None = None
    """Per pair of the map's functions work passed between in the log with no declared
    handoff covering the step: customers, steps, and the steps per ``(from, to)``
    touchpoint pair (most first)."""


class EvidenceContext(RuleContext):
    """A `RuleContext` that also holds what customers did."""

    def __init__(
        self,
        G: nx.MultiDiGraph,
        flow: ObservedFlow,
        facts: LogFacts,
        *,
        thresholds: Thresholds | None = None,
    ) -> None:
        super().__init__(G, thresholds=thresholds)
        self.flow = flow
        self.facts = facts

    def is_function(self, ident: str) -> bool:
        """Whether ``ident`` is one of the map's job functions."""
        return (JOB_FUNCTION, ident) in self.G

    @cached_property
    def stage_of(self) -> dict[str, str]:
        """The stage of each mapped touchpoint."""
        return alg.stage_of(self.G)
