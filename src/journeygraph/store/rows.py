"""A journey map as the rows Neo4j stores, and the changes that make Neo4j mirror it.

Everything here is pure: `rows_of` turns a map into one list of rows per
section, `map_of` turns such rows back into a map, and `plan` compares what
Neo4j holds with what the map says and lists the rows to write and to delete.
The writer (`journeygraph.store.writer`) sends them in batches.

The sections, their keys and the Cypher files that write them:

============  ==============================  ======================================
section       key                             node or relationship
============  ==============================  ======================================
journey       (one row per journey)           ``(:Journey)``
departments   ``id``                          ``(:Department)``, org-wide
functions     ``id``                          ``(:JobFunction)-[:PART_OF]->``, org-wide
stages        ``id``                          ``(:Stage {journey})``
touchpoints   ``id``                          ``(:Touchpoint {journey})-[:IN_STAGE]->``
transitions   ``source``, ``target``          ``-[:NEXT {weight, cycle, reason,
                                              position}]->``
owners        ``function``, ``touchpoint``,   ``-[:OWNS {role, position}]->``
              ``role``
handoffs      ``source``, ``target``          ``-[:HANDS_OFF_TO {journey}]->``
scopes        ``giver``, ``taker``,           ``(:Touchpoint)-[:HANDOFF_AT]->``
              ``source``, ``target``
personas      ``id``                          ``(:Persona {journey})``
opportunities ``id``                          ``(:Opportunity {journey})-[:OWNED_BY]->``
improvements  ``opportunity``, ``touchpoint`` ``-[:IMPROVES {position}]->``
experiences   ``persona``, ``touchpoint``     ``(:Persona)-[:FEELS]->(:Touchpoint)``
============  ==============================  ======================================

``position`` keeps the map's order (of lists, of ``next``, of each role's
functions) so that a pulled map equals the pushed one.

Examples
--------
>>> import journeygraph
>>> m = journeygraph.load("examples/b2b-saas.yaml")
>>> rows = rows_of(m)
>>> rows["stages"][0]["id"], rows["stages"][0]["position"]
('awareness', 0)
>>> map_of(rows) == m
True
>>> plan(rows, rows).empty
True
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from journeygraph.model import (
    ROLES,
    AuditConfig,
    Experience,
    Handoff,
    JobFunction,
    JourneyMap,
    Opportunity,
    Touchpoint,
)

__all__ = [
    "DELETE_ORDER",
    "KEYS",
    "ROW_FIELDS",
    "SECTIONS",
    "UPSERT_ORDER",
    "Plan",
    "Row",
    "Rows",
    "batches",
    "map_of",
    "plan",
    "rows_of",
]

Row = dict[str, Any]
Rows = dict[str, list[Row]]

KEYS: Final[dict[str, tuple[str, ...]]] = {
    "journey": ("id",),
    "departments": ("id",),
    "functions": ("id",),
    "stages": ("id",),
    "touchpoints": ("id",),
    "transitions": ("source", "target"),
    "owners": ("function", "touchpoint", "role"),
    "handoffs": ("source", "target"),
    "scopes": ("giver", "taker", "source", "target"),
    "personas": ("id",),
    "opportunities": ("id",),
    "improvements": ("opportunity", "touchpoint"),
    "experiences": ("persona", "touchpoint"),
}
"""The fields that identify a row of each section."""

SECTIONS: Final = tuple(KEYS)

_ENTITY = ("id", "name", "description")
ROW_FIELDS: Final[dict[str, tuple[str, ...]]] = {
    "journey": (*_ENTITY, "version", "audit"),
    "departments": (*_ENTITY, "external", "position"),
    "functions": (*_ENTITY, "department", "fte", "log_performers", "position"),
    "stages": (*_ENTITY, "metrics", "position"),
    "touchpoints": (
        *_ENTITY,
        "stage",
        "channel",
        "layer",
        "entry",
        "exit",
        "metrics",
        "volume",
        "handle_minutes",
        "evidence",
        "log_names",
        "emotion",
        "pain_points",
        "quotes",
        "experience_position",
        "position",
    ),
    "transitions": ("source", "target", "weight", "cycle", "reason", "position"),
    "owners": ("function", "touchpoint", "role", "position"),
    "handoffs": (
        "source",
        "target",
        "name",
        "description",
        "sla",
        "artefact",
        "system",
        "scoped",
        "position",
    ),
    "scopes": ("giver", "taker", "source", "target", "position"),
    "personas": (*_ENTITY, "goals", "position"),
    "opportunities": (*_ENTITY, "owner", "status", "priority", "position"),
    "improvements": ("opportunity", "touchpoint", "position"),
    "experiences": ("persona", "touchpoint", "emotion", "pain_points", "quotes", "position"),
}
"""The fields of the rows of each section (a test checks `rows_of` makes exactly these)."""

UPSERT_ORDER: Final = (
    "journey",
    "departments",
    "functions",
    "stages",
    "touchpoints",
    "transitions",
    "owners",
    "handoffs",
    "scopes",
    "personas",
    "opportunities",
    "improvements",
    "experiences",
)
"""Writes go in this order: what a relationship joins exists before it."""

DELETE_ORDER: Final = (
    "experiences",
    "improvements",
    "opportunities",
    "personas",
    "scopes",
    "handoffs",
    "owners",
    "transitions",
    "touchpoints",
    "stages",
    "functions",
    "departments",
)
"""Deletions, in this order. Functions and departments are org-wide: a
journey's delete removes only its link to them (HAS_FUNCTION, HAS_DEPARTMENT);
they go when no journey links to them, and only if journeygraph wrote them."""


def rows_of(m: JourneyMap) -> Rows:
    """The rows of each section that store ``m``.

    Examples
    --------
    >>> from journeygraph.testing import tiny_map
    >>> rows_of(tiny_map())["owners"][0]
    {'function': 'marketing', 'touchpoint': 'ad', 'role': 'R', 'position': 0}
    """
    return {
        "journey": [_journey_row(m)],
        "departments": [
            {
                "id": d.id,
                "name": d.name,
                "description": d.description,
                "external": d.external,
                "position": i,
            }
            for i, d in enumerate(m.departments)
        ],
        "functions": [_function_row(function, i) for i, function in enumerate(m.functions)],
        "stages": [
            {
                "id": s.id,
                "name": s.name,
                "description": s.description,
                "metrics": list(s.metrics),
                "position": i,
            }
            for i, s in enumerate(m.stages)
        ],
        "touchpoints": [_touchpoint_row(t, i) for i, t in enumerate(m.touchpoints)],
        "transitions": [
            {
                "source": t.id,
                "target": step.to,
                "weight": step.weight,
                "cycle": step.cycle,
                "reason": step.reason,
                "position": j,
            }
            for t in m.touchpoints
            for j, step in enumerate(t.next)
        ],
        "owners": [
            {"function": function, "touchpoint": t.id, "role": role, "position": j}
            for t in m.touchpoints
            for role in ROLES
            for j, function in enumerate(t.owners.role(role))
        ],
        "handoffs": [_handoff_row(h, k) for k, h in enumerate(m.handoffs)],
        "scopes": [
            {"giver": h.from_, "taker": h.to, "source": a, "target": b, "position": j}
            for h in m.handoffs
            for j, (a, b) in enumerate(h.at)
        ],
        "personas": [
            {
                "id": p.id,
                "name": p.name,
                "description": p.description,
                "goals": list(p.goals),
                "position": i,
            }
            for i, p in enumerate(m.personas)
        ],
        "opportunities": [_opportunity_row(o, i) for i, o in enumerate(m.opportunities)],
        "improvements": [
            {"opportunity": o.id, "touchpoint": t, "position": j}
            for o in m.opportunities
            for j, t in enumerate(o.touchpoints)
        ],
        "experiences": [
            {"persona": e.persona, "touchpoint": t.id, **_experience(e), "position": j}
            for t in m.touchpoints
            for j, e in enumerate(t.experience)
            if e.persona is not None
        ],
    }


def _journey_row(m: JourneyMap) -> Row:
    settings = m.audit.model_dump(mode="json", exclude_defaults=True)
    return {
        "id": m.journey.id,
        "name": m.journey.name,
        "description": m.journey.description,
        "version": m.version,
        "audit": json.dumps(settings, ensure_ascii=False, allow_nan=False, sort_keys=True)
        if settings
        else None,
    }


def _function_row(function: JobFunction, position: int) -> Row:
    return {
        "id": function.id,
        "name": function.name,
        "description": function.description,
        "department": function.department,
        "fte": function.fte,
        "log_performers": list(function.log_performers),
        "position": position,
    }


def _touchpoint_row(t: Touchpoint, position: int) -> Row:
    # The experience of every customer (no persona) is stored on the touchpoint, with
    # its place among the personas'.
    return {
        "id": t.id,
        "name": t.name,
        "description": t.description,
        "stage": t.stage,
        "channel": t.channel,
        "layer": t.layer,
        "entry": t.entry,
        "exit": t.exit,
        "metrics": list(t.metrics),
        "volume": t.volume,
        "handle_minutes": t.handle_minutes,
        "evidence": list(t.evidence),
        "log_names": list(t.log_names),
        **_experience(next((e for e in t.experience if e.persona is None), None)),
        "experience_position": next(
            (j for j, e in enumerate(t.experience) if e.persona is None), None
        ),
        "position": position,
    }


def _handoff_row(h: Handoff, position: int) -> Row:
    return {
        "source": h.from_,
        "target": h.to,
        "name": h.name,
        "description": h.description,
        "sla": h.sla,
        "artefact": h.artefact,
        "system": h.system,
        "scoped": bool(h.at),
        "position": position,
    }


def _opportunity_row(o: Opportunity, position: int) -> Row:
    return {
        "id": o.id,
        "name": o.name,
        "description": o.description,
        "owner": o.owner,
        "status": o.status,
        "priority": o.priority,
        "position": position,
    }


def _experience(e: Experience | None) -> dict[str, Any]:
    return {
        "emotion": None if e is None else e.emotion,
        "pain_points": [] if e is None else list(e.pain_points),
        "quotes": [] if e is None else list(e.quotes),
    }


def map_of(rows: Mapping[str, Sequence[Mapping[str, Any]]]) -> JourneyMap:
    """The map stored in ``rows`` (as `rows_of` makes them, or as Neo4j returns them).

    Examples
    --------
    >>> from journeygraph.testing import tiny_map
    >>> map_of(rows_of(tiny_map())) == tiny_map()
    True
    """
    (journey,) = rows["journey"]
    at_of: dict[tuple[str, str], list[list[str]]] = {}
    for r in _by_position(rows.get("scopes", ())):
        at_of.setdefault((r["giver"], r["taker"]), []).append([r["source"], r["target"]])
    improved: dict[str, list[str]] = {}
    for r in _by_position(rows.get("improvements", ())):
        improved.setdefault(r["opportunity"], []).append(r["touchpoint"])
    data: dict[str, Any] = {
        "version": journey["version"],
        "journey": _entity(journey),
        "stages": [
            _entity(r, metrics=list(r["metrics"] or [])) for r in _by_position(rows["stages"])
        ],
        "departments": [
            _entity(r, external=bool(r.get("external"))) for r in _by_position(rows["departments"])
        ],
        "functions": [
            _entity(
                r,
                department=r["department"],
                fte=r.get("fte"),
                log_performers=list(r.get("log_performers") or []),
            )
            for r in _by_position(rows["functions"])
        ],
        "touchpoints": _touchpoints_data(rows),
        "handoffs": [
            {
                "from": r["source"],
                "to": r["target"],
                "name": r["name"],
                "description": r["description"],
                "sla": r.get("sla"),
                "artefact": r.get("artefact"),
                "system": r.get("system"),
                "at": at_of.get((r["source"], r["target"]), []),
            }
            for r in _by_position(rows["handoffs"])
        ],
        "personas": [
            _entity(r, goals=list(r.get("goals") or []))
            for r in _by_position(rows.get("personas", ()))
        ],
        "opportunities": [
            _entity(
                r,
                touchpoints=improved.get(r["id"], []),
                owner=r.get("owner"),
                status=r.get("status") or "idea",
                priority=r.get("priority"),
            )
            for r in _by_position(rows.get("opportunities", ()))
        ],
    }
    if journey["audit"]:
        data["audit"] = AuditConfig.model_validate(json.loads(journey["audit"]))
    return JourneyMap.model_validate(data)


def _touchpoints_data(rows: Mapping[str, Sequence[Mapping[str, Any]]]) -> list[dict[str, Any]]:
    """The map's touchpoints from their rows, with their steps, owners and experience."""
    next_of: dict[str, list[dict[str, Any]]] = {}
    for r in _by_position(rows["transitions"]):
        step: dict[str, Any] = {"to": r["target"]}
        for key in ("weight", "cycle", "reason"):
            if r.get(key) is not None:
                step[key] = r[key]
        next_of.setdefault(r["source"], []).append(step)
    owners_of: dict[str, dict[str, list[str]]] = {}
    for r in _by_position(rows["owners"]):
        owners_of.setdefault(r["touchpoint"], {}).setdefault(r["role"], []).append(r["function"])
    felt: dict[str, list[dict[str, Any]]] = {}
    for r in _by_position(rows.get("experiences", ())):
        felt.setdefault(r["touchpoint"], []).append({"persona": r["persona"], **_feeling(r)})
    return [
        _entity(
            r,
            stage=r["stage"],
            channel=r["channel"],
            layer=r["layer"],
            entry=bool(r["entry"]),
            exit=bool(r["exit"]),
            metrics=list(r["metrics"] or []),
            owners=owners_of.get(r["id"], {}),
            next=next_of.get(r["id"], []),
            volume=r.get("volume"),
            handle_minutes=r.get("handle_minutes"),
            evidence=list(r.get("evidence") or []),
            log_names=list(r.get("log_names") or []),
            experience=_experiences(r, felt.get(r["id"], [])),
        )
        for r in _by_position(rows["touchpoints"])
    ]


def _feeling(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "emotion": row.get("emotion"),
        "pain_points": list(row.get("pain_points") or []),
        "quotes": list(row.get("quotes") or []),
    }


def _experiences(row: Mapping[str, Any], felt: list[dict[str, Any]]) -> list[dict[str, Any]]:
    # A touchpoint row holds the experience of every customer, if the map gave
    # one, with its place among the personas' (their rows are in order).
    where = row.get("experience_position")
    if where is None:
        return felt
    return [*felt[:where], _feeling(row), *felt[where:]]


def _entity(row: Mapping[str, Any], **more: Any) -> dict[str, Any]:
    return {"id": row["id"], "name": row["name"], "description": row["description"], **more}


def _by_position(rows: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    return sorted(rows, key=lambda r: r["position"])


@dataclass
class Plan:
    """What to write so that Neo4j holds one journey exactly as its map says.

    Attributes
    ----------
    upserts
        Per section, the rows that are new or differ from what Neo4j holds.
    deletes
        Per section, the keys of the rows Neo4j holds that the map no longer has.
    """

    upserts: dict[str, list[Row]] = field(default_factory=dict)
    deletes: dict[str, list[Row]] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        """True when Neo4j already mirrors the map."""
        return not any(self.upserts.values()) and not any(self.deletes.values())

    def count(self) -> int:
        """The number of rows to write or delete."""
        return sum(map(len, self.upserts.values())) + sum(map(len, self.deletes.values()))


def plan(current: Mapping[str, Sequence[Row]], desired: Mapping[str, Sequence[Row]]) -> Plan:
    """The rows to upsert and delete to turn ``current`` into ``desired``.

    Examples
    --------
    >>> from journeygraph.testing import tiny_map
    >>> before = rows_of(tiny_map())
    >>> after = rows_of(tiny_map())
    >>> after["transitions"][0]["weight"] = 3.0
    >>> changes = plan(before, after)
    >>> [(r["source"], r["target"], r["weight"]) for r in changes.upserts["transitions"]]
    [('ad', 'shop', 3.0)]
    >>> changes.count()
    1
    """
    result = Plan()
    for section in SECTIONS:
        keys = KEYS[section]
        held = {_key(r, keys): r for r in current.get(section, ())}
        wanted = {_key(r, keys): r for r in desired.get(section, ())}
        result.upserts[section] = [
            r for k, r in wanted.items() if k not in held or _normal(held[k]) != _normal(r)
        ]
        if section in DELETE_ORDER:
            result.deletes[section] = [
                dict(zip(keys, k, strict=True)) for k in held if k not in wanted
            ]
    return result


def _key(row: Mapping[str, Any], keys: tuple[str, ...]) -> tuple[Any, ...]:
    return tuple(row[k] for k in keys)


def _normal(row: Mapping[str, Any]) -> dict[str, Any]:
    # Neo4j gives back integers where the map had whole floats, and no key
    # where the value was null: compare values as the map would read them.
    return {
        k: float(v) if isinstance(v, int) and not isinstance(v, bool) and k in _FLOATS else v
        for k, v in row.items()
        if v is not None and v != []
    }


_FLOATS = frozenset({"weight", "fte", "volume", "handle_minutes"})


def batches(rows: Sequence[Row], size: int) -> Iterator[list[Row]]:
    """``rows`` in consecutive lists of at most ``size``.

    Examples
    --------
    >>> [len(b) for b in batches([{}] * 5, 2)]
    [2, 2, 1]
    """
    if size < 1:
        raise ValueError(f"batch size must be at least 1, not {size}")
    for start in range(0, len(rows), size):
        yield list(rows[start : start + size])
