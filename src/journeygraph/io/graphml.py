"""GraphML and GEXF, for Gephi, yEd and Cytoscape; GraphML written here reads back.

Nodes are keyed ``Label:id`` and keep every attribute; lists (metrics, stage
order) are stored as JSON text, since GraphML holds only scalars. ``OWNS`` and
``HANDS_OFF_TO`` edges carry ``position``, their place in the map's lists, so
that reading back gives an equal map. The audit section travels as JSON in
the graph attribute ``audit``.
"""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path
from typing import Any

import networkx as nx

from journeygraph.exceptions import JourneyGraphError, Location, MapError, Problem
from journeygraph.graph import (
    DEPARTMENT,
    FEELS,
    HANDOFF_AT,
    HANDS_OFF_TO,
    HAS_DEPARTMENT,
    HAS_FUNCTION,
    HAS_OPPORTUNITY,
    HAS_PERSONA,
    HAS_STAGE,
    IMPROVES,
    IN_STAGE,
    JOB_FUNCTION,
    JOURNEY,
    NEXT,
    OPPORTUNITY,
    OWNED_BY,
    OWNS,
    PART_OF,
    PERSONA,
    STAGE,
    TOUCHPOINT,
    to_networkx,
)
from journeygraph.io.files import atomic_path
from journeygraph.io.load import from_data
from journeygraph.io.source import SourceMap
from journeygraph.model import ROLES, JourneyMap

__all__ = ["exchange_graph", "read_graphml", "write_gexf", "write_graphml"]

_LISTS = (
    "metrics",
    "stages",
    "goals",
    "pain_points",
    "quotes",
    "log_names",
    "log_performers",
    "evidence",
)


def exchange_graph(m: JourneyMap) -> nx.MultiDiGraph:
    """The map's graph with string node keys and only scalar attributes."""
    G = to_networkx(m)
    for t in m.touchpoints:
        for role in ROLES:
            for position, function in enumerate(t.owners.role(role)):
                key = f"{OWNS}:{role}"
                G.edges[(JOB_FUNCTION, function), (TOUCHPOINT, t.id), key]["position"] = position
    for position, h in enumerate(m.handoffs):
        G.edges[(JOB_FUNCTION, h.from_), (JOB_FUNCTION, h.to), HANDS_OFF_TO]["position"] = position
    for t in m.touchpoints:
        # Where every customer's experience stands among the personas' (FEELS positions).
        for position, e in enumerate(t.experience):
            if e.persona is None:
                G.nodes[(TOUCHPOINT, t.id)]["experience_position"] = position
    # `name` in the graph is the display label; keep only names the map gives.
    unnamed = [
        (label, item.id)
        for label, items in (
            (STAGE, m.stages),
            (DEPARTMENT, m.departments),
            (JOB_FUNCTION, m.functions),
            (TOUCHPOINT, m.touchpoints),
            (PERSONA, m.personas),
            (OPPORTUNITY, m.opportunities),
        )
        for item in items
        if item.name is None
    ]
    for node in unnamed:
        del G.nodes[node]["name"]
    if m.journey.name is None:
        del G.graph["name"]
    H = nx.relabel_nodes(G, {node: f"{node[0]}:{node[1]}" for node in G})
    for _, attrs in H.nodes(data=True):
        _scalars(attrs)
    for _, _, attrs in H.edges(data=True):
        _scalars(attrs)
    _scalars(H.graph)
    H.graph["audit"] = m.audit.model_dump_json(by_alias=True, exclude_defaults=True)
    H.graph["format_version"] = m.version
    return H


# Characters XML 1.0 cannot carry, and CR, which XML parsers turn into LF.
_NOT_XML = re.compile("[\x00-\x08\x0b-\x1f\ufffe\uffff]")


def _check_xml_text(G: nx.MultiDiGraph, what: str) -> None:
    """Refuse text that XML 1.0 would lose or reject, naming where it is."""
    places = [(f"journey attribute {k!r}", v) for k, v in G.graph.items()]
    places += [(f"{n} {k!r}", v) for n, attrs in G.nodes(data=True) for k, v in attrs.items()]
    places += [
        (f"{a} -> {b} {k!r}", v) for a, b, attrs in G.edges(data=True) for k, v in attrs.items()
    ]
    for where, value in places:
        found = _NOT_XML.search(value) if isinstance(value, str) else None
        if found:
            raise JourneyGraphError(
                f"{where} holds the control character U+{ord(found.group()):04X}, which "
                f"{what} (XML 1.0) cannot hold; remove it from the map to export"
            )


def _scalars(attrs: dict[str, Any]) -> None:
    for key in list(attrs):
        value = attrs[key]
        if value is None:
            del attrs[key]
        elif isinstance(value, (list, dict)):
            attrs[key] = json.dumps(value, ensure_ascii=False, allow_nan=False)


def write_graphml(m: JourneyMap, path: str | Path) -> Path:
    """Write the map as GraphML (readable back with :func:`read_graphml`)."""
    graph = exchange_graph(m)
    _check_xml_text(graph, "GraphML")
    with atomic_path(path) as temporary:
        nx.write_graphml(graph, str(temporary), named_key_ids=True)
    return Path(path)


def write_gexf(m: JourneyMap, path: str | Path) -> Path:
    """Write the map as GEXF, for Gephi."""
    graph = exchange_graph(m)
    _check_xml_text(graph, "GEXF")
    with atomic_path(path) as temporary:
        nx.write_gexf(graph, str(temporary))
    return Path(path)


def read_graphml(path: str | Path) -> JourneyMap:
    """Read a map back from GraphML written by journeygraph.

    Raises
    ------
    MapError
        When the file is not GraphML written by journeygraph, or the map in it
        is not valid.
    """
    file = str(path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # networkx warns of keys with no type: read as text
            G = nx.read_graphml(file, force_multigraph=True)
    except FileNotFoundError:
        raise JourneyGraphError(f"{file}: no such file; check the path") from None
    except Exception as err:  # networkx raises bare exceptions for malformed XML
        position = getattr(err, "position", None)  # XML syntax errors know their place
        where = Location(file, *position) if position else None
        detail = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise MapError(
            [
                Problem(
                    f"{'' if where else file + ': '}not readable GraphML ({detail}); "
                    "journeygraph reads back the GraphML it writes (`journeygraph export "
                    "MAP -o FILE.graphml`)",
                    where,
                )
            ]
        ) from None
    if "format_version" not in G.graph:
        raise MapError(
            [Problem(f"{file}: not GraphML written by journeygraph (no format_version)")]
        )
    try:
        data = _map_data(G)
    except (KeyError, ValueError) as err:
        raise MapError([Problem(f"{file}: incomplete journeygraph GraphML ({err})")]) from None
    # Problems are worded as for YAML; they have no line, so they name the file alone.
    try:
        return from_data(data, SourceMap(file))
    except MapError as err:
        raise MapError(
            Problem(f"{file}: {p.message}" if p.location else p.message) for p in err.problems
        ) from None


def _map_data(G: nx.MultiDiGraph) -> dict[str, Any]:
    nodes = _nodes_by_label(G)
    edges = _Edges(G)
    layer = edges.layer
    ordered = [
        (h, layer.scopes.get((h["from"], h["to"]), []))
        for _, h in sorted(edges.handoffs, key=lambda item: item[0])
    ]
    return {
        "version": int(G.graph["format_version"]),
        "journey": _fields(G.graph, ("name", "description"), ident=G.graph["journey"]),
        "stages": [_fields(a, ("name", "description"), metrics=True) for a in nodes[STAGE]],
        "departments": [
            {**_fields(a, ("name", "description")), "external": _flag(a.get("external"))}
            for a in nodes[DEPARTMENT]
        ],
        "functions": [
            {
                **_fields(a, ("name", "description", "department", "fte")),
                "log_performers": json.loads(a.get("log_performers", "[]")),
            }
            for a in nodes[JOB_FUNCTION]
        ],
        "touchpoints": [_touchpoint_data(a, edges) for a in nodes[TOUCHPOINT]],
        "handoffs": [
            {**h, **({"at": [list(pair) for _, pair in sorted(at)]} if at else {})}
            for h, at in ordered
        ],
        "personas": [
            {**_fields(a, ("name", "description")), "goals": json.loads(a.get("goals", "[]"))}
            for a in nodes[PERSONA]
        ],
        "opportunities": [
            {
                **_fields(a, ("name", "description", "status", "priority")),
                "touchpoints": [t for _, t in sorted(layer.improves.get(a["id"], []))],
                **({"owner": layer.owner[a["id"]]} if a["id"] in layer.owner else {}),
            }
            for a in nodes[OPPORTUNITY]
        ],
        "audit": json.loads(G.graph.get("audit", "{}")),
    }


def _nodes_by_label(G: nx.MultiDiGraph) -> dict[str, list[dict[str, Any]]]:
    """The nodes' attributes by label; stages, personas and opportunities in their order."""
    nodes: dict[str, list[dict[str, Any]]] = {
        label: []
        for label in (JOURNEY, STAGE, DEPARTMENT, JOB_FUNCTION, TOUCHPOINT, PERSONA, OPPORTUNITY)
    }
    for _, attrs in G.nodes(data=True):
        nodes[attrs["label"]].append(attrs)
    nodes[STAGE].sort(key=lambda a: int(a["position"]))
    for order in (PERSONA, OPPORTUNITY):
        nodes[order].sort(key=lambda a: int(a.get("position", 0)))
    return nodes


def _touchpoint_data(a: dict[str, Any], edges: _Edges) -> dict[str, Any]:
    """A touchpoint node as the map writes it, with its owners, steps and experience."""
    return {
        **_fields(a, ("name", "description", "stage", "channel", "layer"), metrics=True),
        "entry": _flag(a.get("entry")),
        "exit": _flag(a.get("exit")),
        "owners": {
            role: [function for _, function in sorted(held)]
            for role, held in edges.owners.get(a["id"], {}).items()
        },
        "next": edges.steps.get(a["id"], []),
        **{k: a[k] for k in ("volume", "handle_minutes") if k in a},
        "evidence": json.loads(a.get("evidence", "[]")),
        "log_names": json.loads(a.get("log_names", "[]")),
        "experience": edges.layer.experience(a),
    }


class _Edges:
    """The map's relationships, read from the graph's edges: owners, steps, handoffs, and
    the customer layer."""

    def __init__(self, G: nx.MultiDiGraph) -> None:
        self.owners: dict[str, dict[str, list[tuple[int, str]]]] = {}
        self.steps: dict[str, list[dict[str, Any]]] = {}
        self.handoffs: list[tuple[int, dict[str, Any]]] = []
        self.layer = _CustomerLayer()
        for u, v, attrs in G.edges(data=True):
            self._add(attrs["type"], G.nodes[u]["id"], G.nodes[v]["id"], attrs)

    def _add(self, kind: str, source: str, target: str, attrs: dict[str, Any]) -> None:
        if kind == OWNS:
            self.owners.setdefault(target, {}).setdefault(attrs["role"], []).append(
                (int(attrs["position"]), source)
            )
        elif kind == NEXT:
            step: dict[str, Any] = {"to": target}
            if "weight" in attrs:
                step["weight"] = float(attrs["weight"])
            for key in ("cycle", "reason"):
                if key in attrs:
                    step[key] = attrs[key]
            self.steps.setdefault(source, []).append(step)
        elif kind == HANDS_OFF_TO:
            handoff = {"from": source, "to": target}
            keys = ("name", "description", "sla", "artefact", "system")
            handoff.update({k: attrs[k] for k in keys if k in attrs})
            self.handoffs.append((int(attrs["position"]), handoff))
        elif kind in _CUSTOMER:
            self.layer.add(kind, source, target, attrs)
        # The journey's own edges repeat what the nodes say (files written
        # before journeygraph drew them import the same).
        elif kind not in (
            IN_STAGE,
            PART_OF,
            HAS_STAGE,
            HAS_FUNCTION,
            HAS_DEPARTMENT,
            HAS_PERSONA,
            HAS_OPPORTUNITY,
        ):
            raise ValueError(f"unknown relationship type {kind!r}")


_CUSTOMER = (FEELS, IMPROVES, OWNED_BY, HANDOFF_AT)


class _CustomerLayer:
    """The customer layer's relationships, gathered while reading the edges."""

    def __init__(self) -> None:
        self.felt: dict[str, list[tuple[int, dict[str, Any]]]] = {}
        self.improves: dict[str, list[tuple[int, str]]] = {}
        self.owner: dict[str, str] = {}
        self.scopes: dict[tuple[str, str], list[tuple[int, tuple[str, str]]]] = {}

    def add(self, kind: str, source: str, target: str, attrs: dict[str, Any]) -> None:
        if kind == FEELS:
            self.felt.setdefault(target, []).append(
                (int(attrs["position"]), {"persona": source, **_feeling(attrs)})
            )
        elif kind == IMPROVES:
            self.improves.setdefault(source, []).append((int(attrs["position"]), target))
        elif kind == OWNED_BY:
            self.owner[source] = target
        else:  # HANDOFF_AT
            pair = (str(attrs["giver"]), str(attrs["taker"]))
            self.scopes.setdefault(pair, []).append((int(attrs["position"]), (source, target)))

    def experience(self, touchpoint: dict[str, Any]) -> list[dict[str, Any]]:
        """The touchpoint's experience entries, in the map's order."""
        entries = list(self.felt.get(touchpoint["id"], []))
        if "experience_position" in touchpoint:
            entries.append((int(touchpoint["experience_position"]), _feeling(touchpoint)))
        return [e for _, e in sorted(entries, key=lambda item: item[0])]


def _feeling(attrs: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "pain_points": json.loads(attrs.get("pain_points", "[]")),
        "quotes": json.loads(attrs.get("quotes", "[]")),
    }
    if "emotion" in attrs:
        out["emotion"] = int(attrs["emotion"])
    return out


def _fields(
    attrs: dict[str, Any], keys: tuple[str, ...], *, ident: str | None = None, metrics: bool = False
) -> dict[str, Any]:
    out: dict[str, Any] = {"id": ident if ident is not None else attrs["id"]}
    out.update({k: attrs[k] for k in keys if k in attrs})
    if metrics:
        out["metrics"] = json.loads(attrs.get("metrics", "[]"))
    return out


def _flag(value: Any) -> bool:
    return value is True or str(value).lower() == "true"
