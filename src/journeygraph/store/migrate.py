"""Bringing a database pushed by an earlier release of journeygraph up to date.

Releases before the ``JourneyGraph`` label wrote journeygraph's nodes under the
generic labels only and constrained those labels database-wide.
``journeygraph neo4j migrate`` drops those constraints and indexes
(`drop_earlier_schema`: each only when its name and definition are the earlier
release's), labels what the earlier release wrote as journeygraph's
(`label_earlier`, in one write transaction), links the stored findings from
their journey (``HAS_FINDING``, which releases up to 0.2.0 did not write),
removes the push-lock nodes that earlier builds kept, and creates the current
schema.
Running it again changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final

from journeygraph.graph import (
    DEPARTMENT,
    FINDING,
    JOB_FUNCTION,
    JOURNEY,
    OPPORTUNITY,
    PERSONA,
    STAGE,
    TOUCHPOINT,
)
from journeygraph.store import library
from journeygraph.store.runner import Runner
from journeygraph.store.schema import NODES

__all__ = ["EARLIER_SCHEMA", "Migration", "drop_earlier_schema", "label_earlier"]

EARLIER_SCHEMA: Final[dict[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {
    "journey_id": (("Journey",), ("id",)),
    "push_lock_id": (("PushLock",), ("id",)),
    "department_id": (("Department",), ("id",)),
    "job_function_id": (("JobFunction",), ("id",)),
    "stage_journey_id": (("Stage",), ("journey", "id")),
    "touchpoint_journey_id": (("Touchpoint",), ("journey", "id")),
    "stage_journey": (("Stage",), ("journey",)),
    "touchpoint_journey": (("Touchpoint",), ("journey",)),
    "finding_journey_position": (("Finding",), ("journey", "position")),
    "hands_off_to_journey": (("HANDS_OFF_TO",), ("journey",)),
}
"""The constraints and indexes of the earlier releases, by name: what each covered."""

# In this order: a touchpoint is journeygraph's when its stage is.
_LABELLED = {
    "journeys": JOURNEY,
    "stages": STAGE,
    "touchpoints": TOUCHPOINT,
    "personas": PERSONA,
    "opportunities": OPPORTUNITY,
    "functions": JOB_FUNCTION,
    "departments": DEPARTMENT,
    "findings": FINDING,
}


@dataclass
class Migration:
    """What `migrate` changed.

    Attributes
    ----------
    dropped
        The earlier releases' constraints and indexes dropped, by name.
    labelled
        Per kind of node, how many were labelled ``JourneyGraph``.
    lock_removed
        True when the earlier releases' one push lock was removed.
    locks_removed
        How many push-lock nodes of earlier builds were removed (one per journey,
        function and department they pushed: pushes now commit none).
    findings_linked
        How many stored findings were linked from their journey (``HAS_FINDING``).
    revised
        How many journeys pushed before versions of a journey were given their
        first revision (`journeygraph.store.revision`).
    """

    dropped: list[str] = field(default_factory=list)
    labelled: dict[str, int] = field(default_factory=dict)
    lock_removed: bool = False
    locks_removed: int = 0
    findings_linked: int = 0
    revised: int = 0

    @property
    def changed(self) -> bool:
        """True when the database was not up to date."""
        return (
            bool(self.dropped)
            or any(self.labelled.values())
            or self.lock_removed
            or bool(self.locks_removed)
            or bool(self.findings_linked)
            or bool(self.revised)
        )


def drop_earlier_schema(runner: Runner) -> list[str]:
    """Drop the earlier releases' constraints and indexes that are there as they made them.

    One schema statement each, in one transaction when ``runner`` is one.
    """
    found = {
        row["name"]: (tuple(row["labels"] or ()), tuple(row["properties"] or ()))
        for row in runner.run(library.query("migrate/earlier-schema").text, {})
    }
    dropped = []
    for statement in library.statements(library.query("migrate/schema").text):
        match = re.search(r"DROP (?:CONSTRAINT|INDEX) (\w+)", statement)
        name = match.group(1) if match else ""
        if name in found and found[name] == EARLIER_SCHEMA.get(name):
            runner.run(statement, {})
            dropped.append(name)
    return dropped


def label_earlier(runner: Runner) -> Migration:
    """Label what the earlier releases wrote as journeygraph's; call it in one write transaction."""
    result = Migration()
    for kind, label in _LABELLED.items():
        # What the earlier release wrote on the label (managed_by, but not key).
        written = [k for k in NODES[label] if k != "key"]
        q = library.query(f"migrate/label-{kind}")
        (row,) = runner.run(q.text, {"properties": written})
        result.labelled[kind] = int(row["labelled"])
    (row,) = runner.run(library.query("migrate/delete-lock").text, {})
    result.lock_removed = bool(row["labelled"])
    (row,) = runner.run(library.query("migrate/delete-push-locks").text, {})
    result.locks_removed = int(row["removed"])
    (row,) = runner.run(library.query("migrate/link-findings").text, {})
    result.findings_linked = int(row["linked"])
    (row,) = runner.run(library.query("migrate/give-revisions").text, {})
    result.revised = int(row["revised"])
    return result
