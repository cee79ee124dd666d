"""The map as one graph, and the vocabulary shared with Neo4j and the Cypher files.

Nodes are keyed ``(label, id)`` so that a department and a function may share
an id. Every node has the attributes ``label``, ``id`` and ``name``; every edge
has ``type``. The labels and relationship types are those of the Neo4j schema
(``cypher/schema.cypher``):

=================  ==========================================  ==============
relationship       from -> to                                  properties
=================  ==========================================  ==============
``HAS_STAGE``      Journey -> Stage
``HAS_FUNCTION``   Journey -> JobFunction                      ``position``
``HAS_DEPARTMENT`` Journey -> Department                       ``position``
``IN_STAGE``       Touchpoint -> Stage
``NEXT``           Touchpoint -> Touchpoint                    ``weight``,
                                                               ``cycle``,
                                                               ``reason``
``OWNS``           JobFunction -> Touchpoint                   ``role``
``PART_OF``        JobFunction -> Department
``HANDS_OFF_TO``   JobFunction -> JobFunction                  ``name``,
                                                               ``sla``,
                                                               ``scoped``
``HANDOFF_AT``     Touchpoint -> Touchpoint                    ``giver``,
                                                               ``taker``
``HAS_PERSONA``    Journey -> Persona                          ``position``
``FEELS``          Persona -> Touchpoint                       ``emotion``,
                                                               ``pain_points``
``HAS_OPPORTUNITY`` Journey -> Opportunity                     ``position``
``IMPROVES``       Opportunity -> Touchpoint                   ``position``
``OWNED_BY``       Opportunity -> JobFunction
=================  ==========================================  ==============

A handoff scoped with ``at`` (``scoped`` true) covers only the transitions that
carry a ``HANDOFF_AT`` relationship naming its ``giver`` and ``taker``
functions, alongside their ``NEXT``. A touchpoint's
experience for every customer is on the touchpoint (``emotion``,
``pain_points``, ``quotes``); a persona's is on its ``FEELS`` relationship.

Examples
--------
>>> import journeygraph
>>> G = journeygraph.load("examples/b2b-saas.yaml").to_networkx()
>>> G.nodes[(TOUCHPOINT, "demo-call")]["stage"]
'consideration'
>>> sorted({t for _, _, t in G.edges(data="type")})  # doctest: +NORMALIZE_WHITESPACE
['HANDS_OFF_TO', 'HAS_DEPARTMENT', 'HAS_FUNCTION', 'HAS_STAGE', 'IN_STAGE', 'NEXT', 'OWNS',
 'PART_OF']

The ``Journey`` node connects the rest: its stages (and through them the
touchpoints), and the functions and departments it lists, in map order, so
that the whole journey is reachable from it in Neo4j Browser or Bloom as in
networkx.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from itertools import compress, repeat
from operator import eq, itemgetter
from typing import TYPE_CHECKING, Any, Final

import networkx as nx

from journeygraph._gc import paused_gc
from journeygraph.roles import ROLE_FIELDS, ROLES

if TYPE_CHECKING:
    from journeygraph.model import Experience, JourneyMap, Touchpoint

__all__ = [
    "ABOUT",
    "DEPARTMENT",
    "FEELS",
    "FINDING",
    "HANDOFF_AT",
    "HANDS_OFF_TO",
    "HAS_DEPARTMENT",
    "HAS_FINDING",
    "HAS_FUNCTION",
    "HAS_OPPORTUNITY",
    "HAS_PERSONA",
    "HAS_STAGE",
    "IMPROVES",
    "IN_STAGE",
    "JOB_FUNCTION",
    "JOURNEY",
    "LABELS",
    "NEXT",
    "OPPORTUNITY",
    "OWNED_BY",
    "OWNS",
    "PART_OF",
    "PERSONA",
    "PUSH_LOCK",
    "RELATIONSHIP_TYPES",
    "STAGE",
    "TOUCHPOINT",
    "ids_of",
    "node_key",
    "successors",
    "to_networkx",
]

JOURNEY: Final = "Journey"
PUSH_LOCK: Final = "PushLock"
"""Neo4j only: the label of the push locks, which make pushes that share entities run
in turn; a lock's node is deleted in the statement that makes it (the key's lock
holds to the commit), so none is ever stored."""
FINDING: Final = "Finding"
"""Neo4j only: a finding of ``neo4j audit --write``, linked to what it is ``ABOUT``."""
ABOUT: Final = "ABOUT"
"""Neo4j only: from a finding to a touchpoint, stage or job function it is about."""
HAS_FINDING: Final = "HAS_FINDING"
"""Neo4j only: from a journey to each finding ``neo4j audit --write`` stored for it,
so that its findings are read from the journey's node, not looked up among all."""
STAGE: Final = "Stage"
TOUCHPOINT: Final = "Touchpoint"
JOB_FUNCTION: Final = "JobFunction"
DEPARTMENT: Final = "Department"
PERSONA: Final = "Persona"
OPPORTUNITY: Final = "Opportunity"
LABELS: Final = (JOURNEY, STAGE, TOUCHPOINT, JOB_FUNCTION, DEPARTMENT, PERSONA, OPPORTUNITY)
"""Node labels of the graph, in networkx and Neo4j alike (Neo4j adds ``PushLock``)."""

HAS_STAGE: Final = "HAS_STAGE"
HAS_FUNCTION: Final = "HAS_FUNCTION"
HAS_DEPARTMENT: Final = "HAS_DEPARTMENT"
IN_STAGE: Final = "IN_STAGE"
NEXT: Final = "NEXT"
OWNS: Final = "OWNS"
PART_OF: Final = "PART_OF"
HANDS_OFF_TO: Final = "HANDS_OFF_TO"
HANDOFF_AT: Final = "HANDOFF_AT"
HAS_PERSONA: Final = "HAS_PERSONA"
FEELS: Final = "FEELS"
HAS_OPPORTUNITY: Final = "HAS_OPPORTUNITY"
IMPROVES: Final = "IMPROVES"
OWNED_BY: Final = "OWNED_BY"
RELATIONSHIP_TYPES: Final = (
    HAS_STAGE,
    HAS_FUNCTION,
    HAS_DEPARTMENT,
    IN_STAGE,
    NEXT,
    OWNS,
    PART_OF,
    HANDS_OFF_TO,
    HANDOFF_AT,
    HAS_PERSONA,
    FEELS,
    HAS_OPPORTUNITY,
    IMPROVES,
    OWNED_BY,
)

NodeKey = tuple[str, str]


def node_key(label: str, ident: str) -> NodeKey:
    """The key of the node with ``label`` and ``id``.

    Examples
    --------
    >>> node_key(TOUCHPOINT, "demo-call")
    ('Touchpoint', 'demo-call')
    """
    return (label, ident)


def ids_of(G: nx.MultiDiGraph, label: str) -> Iterator[str]:
    """Ids of the nodes with ``label``, in the order of the map.

    Examples
    --------
    >>> import journeygraph
    >>> G = journeygraph.load("examples/b2b-saas.yaml").to_networkx()
    >>> list(ids_of(G, STAGE))
    ['awareness', 'consideration', 'decision', 'retention', 'advocacy']
    """
    # A list made at once (a third of the time of yielding each id), by C-level
    # iterators: an audit reads the ids of a label a score of times, and a
    # comprehension over every node of a large map took twice as long.
    nodes = G._node
    return iter(list(map(_second, compress(nodes, map(eq, map(_first, nodes), repeat(label))))))


_first, _second = itemgetter(0), itemgetter(1)


def successors(G: nx.MultiDiGraph) -> Mapping[NodeKey, Mapping[NodeKey, Mapping[str, Any]]]:
    """The adjacency of ``G``: node, then successor, then edge key, to the edge's attributes.

    Read-only. For a plain graph these are its own dicts (``G._succ``, which
    networkx's own algorithms read), not the views of ``G.succ``: passing
    through those views' Python-level ``Mapping`` methods made reading every
    role and transition of a large map several times slower.

    Examples
    --------
    >>> import journeygraph
    >>> G = journeygraph.load("examples/b2b-saas.yaml").to_networkx()
    >>> dict(successors(G)[(TOUCHPOINT, "demo-call")]) == dict(G.succ[(TOUCHPOINT, "demo-call")])
    True
    """
    return G._succ  # type: ignore[no-any-return]


def to_networkx(m: JourneyMap) -> nx.MultiDiGraph:
    """The map as one ``networkx.MultiDiGraph``.

    Stages carry ``position`` (0-based journey order) and ``metrics``; touchpoints
    carry ``stage``, ``channel``, ``layer``, ``entry``, ``exit``, ``metrics``; functions
    carry ``department``. ``G.graph`` holds ``journey`` (the id), ``name`` and
    ``stages`` (stage ids in journey order). Edge keys are the relationship
    type, or ``OWNS:R`` etc. for roles, so one function can hold several roles
    on one touchpoint.

    Examples
    --------
    >>> import journeygraph
    >>> G = journeygraph.load("examples/b2b-saas.yaml").to_networkx()
    >>> G.graph["journey"], G.graph["stages"][0]
    ('b2b-saas', 'awareness')
    >>> G.edges[(JOB_FUNCTION, "sdr"), (TOUCHPOINT, "discovery-call"), "OWNS:R"]["role"]
    'R'
    """
    with paused_gc():
        return _build(m)


def _build(m: JourneyMap) -> nx.MultiDiGraph:
    G = nx.MultiDiGraph(
        journey=m.journey.id,
        name=m.journey.label,
        description=m.journey.description,
        stages=[s.id for s in m.stages],
    )
    journey = node_key(JOURNEY, m.journey.id)
    G.add_node(journey, **_attrs(JOURNEY, m.journey.id, m.journey.label))
    keys = _Keys(m)
    _add_nodes(G, _stage_nodes(m))
    _add_nodes(G, _department_nodes(m))
    _add_nodes(G, _function_nodes(m, keys))
    _add_nodes(G, _touchpoint_nodes(m, keys))
    _add_edges(G, _membership_edges(m, journey, keys))
    _add_touchpoint_edges(G, m, keys)
    _add_handoffs(G, m)
    _customer_layer(G, m, journey)
    return G


# A large map's graph has hundreds of thousands of edges: `_add_nodes` and
# `_add_edges` do what ``add_nodes_from`` and ``add_edges_from`` do, in the
# same order, but fill the graph's dicts directly and keep the attribute dicts
# they are given (each made for its node or edge alone) rather than copying
# them; networkx's own took 3.3 microseconds an edge. A new graph has no
# cached views to clear.


def _add_nodes(G: nx.MultiDiGraph, nodes: Iterable[tuple[NodeKey, dict[str, Any]]]) -> None:
    """``G.add_nodes_from(nodes)``; each attribute dict becomes the node's own."""
    succ, pred, node = G._succ, G._pred, G._node
    for key, attrs in nodes:
        held = node.get(key)
        if held is None:
            succ[key] = {}
            pred[key] = {}
            node[key] = attrs
        else:
            held.update(attrs)


def _add_edges(
    G: nx.MultiDiGraph, edges: Iterable[tuple[NodeKey, NodeKey, str, dict[str, Any]]]
) -> None:
    """``G.add_edges_from(edges)``; each attribute dict becomes the edge's own."""
    succ, pred, node = G._succ, G._pred, G._node
    for u, v, key, attrs in edges:
        if u not in succ:
            succ[u], pred[u], node[u] = {}, {}, {}
        if v not in succ:
            succ[v], pred[v], node[v] = {}, {}, {}
        after = succ[u]
        parallel = after.get(v)
        if parallel is None:
            after[v] = pred[v][u] = {key: attrs}
        else:
            held = parallel.get(key)
            if held is None:
                parallel[key] = attrs
            else:
                held.update(attrs)


class _Keys:
    """One key tuple per touchpoint and function, shared by every edge that names it.

    A key made afresh for each edge stays alive as a key of the graph's
    adjacency dicts: on a large map a tuple an edge (about 45 MB at 100,000
    touchpoints), and dict lookups compare the tuples' contents rather than
    find the same object.
    """

    __slots__ = ("functions", "touchpoints")

    def __init__(self, m: JourneyMap) -> None:
        self.touchpoints = {t.id: node_key(TOUCHPOINT, t.id) for t in m.touchpoints}
        self.functions = {f.id: node_key(JOB_FUNCTION, f.id) for f in m.functions}

    def touchpoint(self, ident: str) -> NodeKey:
        key = self.touchpoints.get(ident)
        return node_key(TOUCHPOINT, ident) if key is None else key

    def function(self, ident: str) -> NodeKey:
        key = self.functions.get(ident)
        return node_key(JOB_FUNCTION, ident) if key is None else key


def _department_nodes(m: JourneyMap) -> Iterator[tuple[NodeKey, dict[str, Any]]]:
    for d in m.departments:
        yield (
            node_key(DEPARTMENT, d.id),
            _attrs(DEPARTMENT, d.id, d.label, description=d.description, external=d.external),
        )


def _function_nodes(m: JourneyMap, keys: _Keys) -> Iterator[tuple[NodeKey, dict[str, Any]]]:
    for function in m.functions:
        yield (
            keys.function(function.id),
            _attrs(
                JOB_FUNCTION,
                function.id,
                function.label,
                department=function.department,
                description=function.description,
                fte=function.fte,
                log_performers=list(function.log_performers),
            ),
        )


def _touchpoint_nodes(m: JourneyMap, keys: _Keys) -> Iterator[tuple[NodeKey, dict[str, Any]]]:
    # One dict literal a touchpoint, in the order of `_attrs`: a large map's
    # touchpoints made keyword dicts twice over.
    touchpoints = keys.touchpoints
    for t in m.touchpoints:
        e = _everyone(t) if t.experience else None
        yield (
            touchpoints.get(t.id) or node_key(TOUCHPOINT, t.id),
            {
                "label": TOUCHPOINT,
                "id": t.id,
                "name": t.name if t.name is not None else t.id,
                "stage": t.stage,
                "channel": t.channel,
                "layer": t.layer,
                "entry": t.entry,
                "exit": t.exit,
                "metrics": list(t.metrics),
                "description": t.description,
                "volume": t.volume,
                "handle_minutes": t.handle_minutes,
                "evidence": list(t.evidence),
                "log_names": list(t.log_names),
                "emotion": None if e is None else e.emotion,
                "pain_points": [] if e is None else list(e.pain_points),
                "quotes": [] if e is None else list(e.quotes),
            },
        )


def _membership_edges(
    m: JourneyMap, journey: NodeKey, keys: _Keys
) -> Iterator[tuple[NodeKey, NodeKey, str, dict[str, Any]]]:
    """Functions in their departments, then the journey's stages, functions and departments."""
    for function in m.functions:
        if function.department is not None:
            yield (
                keys.function(function.id),
                node_key(DEPARTMENT, function.department),
                PART_OF,
                {"type": PART_OF},
            )
    for s in m.stages:
        yield journey, node_key(STAGE, s.id), HAS_STAGE, {"type": HAS_STAGE}
    for i, function in enumerate(m.functions):
        yield (
            journey,
            keys.function(function.id),
            HAS_FUNCTION,
            {"type": HAS_FUNCTION, "position": i},
        )
    for i, d in enumerate(m.departments):
        yield (
            journey,
            node_key(DEPARTMENT, d.id),
            HAS_DEPARTMENT,
            {"type": HAS_DEPARTMENT, "position": i},
        )


def _add_handoffs(G: nx.MultiDiGraph, m: JourneyMap) -> None:
    """Each declared handoff between functions, then the transitions it is scoped to."""
    for k, h in enumerate(m.handoffs):
        G.add_edge(
            node_key(JOB_FUNCTION, h.from_),
            node_key(JOB_FUNCTION, h.to),
            HANDS_OFF_TO,
            type=HANDS_OFF_TO,
            name=h.name,
            description=h.description,
            sla=h.sla,
            artefact=h.artefact,
            system=h.system,
            scoped=bool(h.at),
        )
        _add_edges(
            G,
            [
                (
                    node_key(TOUCHPOINT, a),
                    node_key(TOUCHPOINT, b),
                    f"{HANDOFF_AT}:{k}",  # one per handoff on a transition
                    {"type": HANDOFF_AT, "giver": h.from_, "taker": h.to, "position": j},
                )
                for j, (a, b) in enumerate(h.at)
            ],
        )


def _customer_layer(G: nx.MultiDiGraph, m: JourneyMap, journey: NodeKey) -> None:
    for i, p in enumerate(m.personas):
        key = node_key(PERSONA, p.id)
        G.add_node(key, **_attrs(PERSONA, p.id, p.label, description=p.description, goals=p.goals))
        G.add_edge(journey, key, HAS_PERSONA, type=HAS_PERSONA, position=i)
    for t in m.touchpoints:
        for j, e in enumerate(t.experience):
            if e.persona is not None:
                G.add_edge(
                    node_key(PERSONA, e.persona),
                    node_key(TOUCHPOINT, t.id),
                    FEELS,
                    type=FEELS,
                    emotion=e.emotion,
                    pain_points=list(e.pain_points),
                    quotes=list(e.quotes),
                    position=j,
                )
    for i, o in enumerate(m.opportunities):
        key = node_key(OPPORTUNITY, o.id)
        G.add_node(
            key,
            **_attrs(
                OPPORTUNITY,
                o.id,
                o.label,
                description=o.description,
                status=o.status,
                priority=o.priority,
            ),
        )
        G.add_edge(journey, key, HAS_OPPORTUNITY, type=HAS_OPPORTUNITY, position=i)
        for j, tid in enumerate(o.touchpoints):
            G.add_edge(key, node_key(TOUCHPOINT, tid), IMPROVES, type=IMPROVES, position=j)
        if o.owner is not None:
            G.add_edge(key, node_key(JOB_FUNCTION, o.owner), OWNED_BY, type=OWNED_BY)


_OWNS = tuple((ROLE_FIELDS[role], f"{OWNS}:{role}", role) for role in ROLES)
"""Each role's field of ``Owners``, its edges' key (one string for every edge of the
role) and the role."""


def _add_touchpoint_edges(G: nx.MultiDiGraph, m: JourneyMap, keys: _Keys) -> None:
    """Each touchpoint's stage, transitions and owners, added as `_add_edges` would add
    them in this order (``IN_STAGE``, ``NEXT`` in map order, ``OWNS`` by role).

    Most of a large map's edges: each goes into the graph's dicts here, the
    touchpoint's own adjacency read once for all its edges, rather than passed
    on as a tuple to unpack.
    """
    succ, pred = G._succ, G._pred
    touchpoints, functions = keys.touchpoints, keys.functions
    stages = {s.id: node_key(STAGE, s.id) for s in m.stages}
    # Every edge gets a dict of its own, as networkx's users expect: sharing one per
    # kind saved 130 MB at 100,000 touchpoints but made the attributes read-only.
    for t in m.touchpoints:
        tp = touchpoints.get(t.id) or node_key(TOUCHPOINT, t.id)
        stage = stages.get(t.stage) or node_key(STAGE, t.stage)
        after = succ.get(tp)
        if after is not None and stage not in after and stage in pred:
            after[stage] = pred[stage][tp] = {IN_STAGE: {"type": IN_STAGE}}
        else:  # a node to add, or a touchpoint whose id is repeated
            _add_edges(G, ((tp, stage, IN_STAGE, {"type": IN_STAGE}),))
            after = succ[tp]
        for step in t.next:
            attrs: dict[str, Any] = {"type": NEXT}
            if step.weight is not None:
                attrs["weight"] = step.weight
            if step.cycle is not None:
                attrs["cycle"] = step.cycle
                if step.reason is not None:
                    attrs["reason"] = step.reason
            target = touchpoints.get(step.to) or node_key(TOUCHPOINT, step.to)
            if target not in after and target in pred:
                after[target] = pred[target][tp] = {NEXT: attrs}
            else:  # a node to add, or a second transition to the same place
                _add_edges(G, ((tp, target, NEXT, attrs),))
        before = pred[tp]
        owners = t.owners
        for field, key, role in _OWNS:
            for fid in getattr(owners, field):
                owner = functions.get(fid) or node_key(JOB_FUNCTION, fid)
                attrs = {"type": OWNS, "role": role}
                if owner not in before and owner in succ:
                    before[owner] = succ[owner][tp] = {key: attrs}
                else:  # a node to add, or a function with several roles here
                    _add_edges(G, ((owner, tp, key, attrs),))


def _stage_nodes(m: JourneyMap) -> Iterator[tuple[NodeKey, dict[str, Any]]]:
    for order, s in enumerate(m.stages):
        yield (
            node_key(STAGE, s.id),
            _attrs(
                STAGE,
                s.id,
                s.label,
                position=order,
                metrics=list(s.metrics),
                description=s.description,
            ),
        )


def _everyone(t: Touchpoint) -> Experience | None:
    # The experience of every customer (no persona) lives on the touchpoint.
    return next((e for e in t.experience if e.persona is None), None)


def _attrs(label: str, ident: str, name: str, **more: Any) -> dict[str, Any]:
    return {"label": label, "id": ident, "name": name, **more}
