"""The Neo4j schema: which properties each label and relationship type carries.

The labels and relationship types are those of `journeygraph.graph`; the
properties are the fields of `journeygraph.store.rows`, which come from the
model. The Cypher linter's schema is generated from here, so a misspelt
property in a ``.cypher`` file fails CI.

Examples
--------
>>> RELATIONSHIPS["OWNS"]
((('JobFunction', 'Touchpoint'),), ('role', 'position'))
"""

from __future__ import annotations

from typing import Any, Final

from journeygraph.graph import (
    ABOUT,
    DEPARTMENT,
    FEELS,
    FINDING,
    HANDOFF_AT,
    HANDS_OFF_TO,
    HAS_DEPARTMENT,
    HAS_FINDING,
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
    PUSH_LOCK,
    STAGE,
    TOUCHPOINT,
)
from journeygraph.store.rows import ROW_FIELDS

__all__ = ["NODES", "OURS", "RELATIONSHIPS", "RETIRED", "STAGED", "lint_schema"]

_ENTITY = ("id", "name", "description")

OURS: Final = "JourneyGraph"
"""The label every node journeygraph writes carries beside its own: what is
journeygraph's in a database other applications share. Its constraint and
indexes are on this label only (``cypher/schema.cypher``)."""

STAGED: Final = "JourneyGraphStaged"
"""The only label of a staged push's mark and of its stand-ins for the functions
journeygraph does not hold yet, until its switch: no read names it
(`journeygraph.store.staging`). They carry their ``key`` (``['Revision',
journey, revision]`` for the mark, ``['JobFunction', id]`` for a stand-in),
``staged`` (the version) and ``staged_for`` (the journey); the version's own
nodes carry their labels and its ``revision``."""

RETIRED: Final = "JourneyGraphRetired"
"""The only label of a journey's nodes that the switch of a staged push replaced,
in builds before the journey's ``revision``: `neo4j migrate` and the journey's
next push remove those left."""

NODES: Final[dict[str, tuple[str, ...]]] = {
    JOURNEY: (
        "key",
        *_ENTITY,
        "version",
        "audit",
        "pushed_at",
        "managed_by",
        "revision",
        "leftovers",
    ),
    # id and held: what the lock nodes that earlier builds kept hold (`neo4j migrate`).
    PUSH_LOCK: ("key", "id", "held"),
    FINDING: (
        "key",
        "journey",
        "id",
        "position",
        "rule",
        "severity",
        "message",
        "entities",
        "waiver",
    ),
    # managed_by: what an earlier release marked its own with (`neo4j migrate`).
    DEPARTMENT: ("key", *_ENTITY, "external", "managed_by"),
    JOB_FUNCTION: ("key", *_ENTITY, "fte", "log_performers", "managed_by"),
    STAGE: ("key", "journey", "revision", *_ENTITY, "metrics", "position"),
    # A touchpoint's row, but for its stage: that is the IN_STAGE relationship.
    TOUCHPOINT: (
        "key",
        "journey",
        "revision",
        *(name for name in ROW_FIELDS["touchpoints"] if name != "stage"),
    ),
    PERSONA: ("key", "journey", "revision", *_ENTITY, "goals", "position"),
    OPPORTUNITY: ("key", "journey", "revision", *_ENTITY, "status", "priority", "position"),
}
"""Node labels and their properties (each node also carries `OURS`)."""

RELATIONSHIPS: Final[dict[str, tuple[tuple[tuple[str, str], ...], tuple[str, ...]]]] = {
    HAS_STAGE: (((JOURNEY, STAGE),), ()),
    HAS_FUNCTION: (((JOURNEY, JOB_FUNCTION),), ("position",)),
    HAS_DEPARTMENT: (((JOURNEY, DEPARTMENT),), ("position",)),
    IN_STAGE: (((TOUCHPOINT, STAGE),), ()),
    NEXT: (((TOUCHPOINT, TOUCHPOINT),), ("weight", "cycle", "reason", "position")),
    OWNS: (((JOB_FUNCTION, TOUCHPOINT),), ("role", "position")),
    PART_OF: (((JOB_FUNCTION, DEPARTMENT),), ()),
    # A handoff's row, but for its ends: those are the functions it joins.
    HANDS_OFF_TO: (
        ((JOB_FUNCTION, JOB_FUNCTION),),
        (
            "journey",
            "revision",
            *(name for name in ROW_FIELDS["handoffs"] if name not in ("source", "target")),
        ),
    ),
    HANDOFF_AT: (((TOUCHPOINT, TOUCHPOINT),), ("journey", "giver", "taker", "position")),
    HAS_PERSONA: (((JOURNEY, PERSONA),), ()),
    FEELS: (((PERSONA, TOUCHPOINT),), ("emotion", "pain_points", "quotes", "position")),
    HAS_OPPORTUNITY: (((JOURNEY, OPPORTUNITY),), ()),
    IMPROVES: (((OPPORTUNITY, TOUCHPOINT),), ("position",)),
    OWNED_BY: (((OPPORTUNITY, JOB_FUNCTION),), ()),
    HAS_FINDING: (((JOURNEY, FINDING),), ()),
    ABOUT: (((FINDING, TOUCHPOINT), (FINDING, STAGE), (FINDING, JOB_FUNCTION)), ()),
}
"""Relationship types: the (from label, to label) pairs they join, and their properties."""


def lint_schema() -> dict[str, Any]:
    """The schema Neo4j's Cypher analyser checks the shipped queries against.

    Examples
    --------
    >>> sorted(lint_schema()["labels"])
    ['Department', 'Finding', 'JobFunction', 'Journey', 'JourneyGraph', 'JourneyGraphRetired', \
'JourneyGraphStaged', 'Opportunity', 'Persona', 'PushLock', 'Stage', 'Touchpoint']
    """
    keys = {k for props in NODES.values() for k in props}
    keys |= {k for _, props in RELATIONSHIPS.values() for k in props}
    # The sync queries read the fields of `$rows` as properties of `row` (the
    # links of stored findings name the finding by its position).
    keys |= {k for fields in ROW_FIELDS.values() for k in fields} | {"finding"}
    # A staged push's marks and stand-ins (`journeygraph.store.staging`).
    keys |= {"staged", "staged_for", "doomed"}
    return {
        "labels": [*NODES, OURS, STAGED, RETIRED],
        "relationshipTypes": list(RELATIONSHIPS),
        "propertyKeys": sorted(keys),
        # Each end of a relationship may be named by its own label, by OURS, or both;
        # or, before the switch of a staged push, by STAGED, after it by RETIRED.
        "graphSchema": [
            {"from": source, "to": target, "relType": kind}
            for kind, (pairs, _) in RELATIONSHIPS.items()
            for pair in pairs
            for source in (pair[0], OURS, STAGED, RETIRED)
            for target in (pair[1], OURS, STAGED, RETIRED)
        ],
    }
