"""What changed between two versions of a map, and what the audit says about it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from journeygraph._gc import paused_gc
from journeygraph.algorithms import CoverageMatrix, coverage_matrix
from journeygraph.audit import AuditResult, audit
from journeygraph.escape import shown
from journeygraph.exceptions import JourneyGraphError
from journeygraph.model import ROLES, JourneyMap
from journeygraph.rules import Finding

__all__ = [
    "Change",
    "MapDiff",
    "describe",
    "diff_maps",
    "earlier_versions",
]


@dataclass(frozen=True)
class Change:
    """One change: what kind of thing, which one, and how (added, removed, changed)."""

    kind: str
    key: tuple[str, ...]
    how: str
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data."""
        return {"kind": self.kind, "key": list(self.key), "how": self.how, "detail": self.detail}


@dataclass
class MapDiff:
    """The changes from ``old`` to ``new`` and their effect on the audit.

    ``appeared`` are findings of the new map that the old one did not have,
    ``resolved`` findings of the old map that are gone; findings match on rule
    and entities. ``matrix_changes`` lists ``(function, stage, before, after)``.
    """

    old: AuditResult
    new: AuditResult
    changes: list[Change]
    appeared: list[Finding]
    resolved: list[Finding]
    matrix_before: CoverageMatrix
    matrix_after: CoverageMatrix
    matrix_changes: list[tuple[str, str, str, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data."""
        return {
            "old": {"journey": self.old.journey, "file": self.old.file},
            "new": {"journey": self.new.journey, "file": self.new.file},
            "changes": [c.to_dict() for c in self.changes],
            "appeared": [finding.to_dict() for finding in self.appeared],
            "resolved": [finding.to_dict() for finding in self.resolved],
            "coverage": [
                {"function": function, "stage": s, "before": b, "after": a}
                for function, s, b, a in self.matrix_changes
            ],
            "summary": {
                "changes": len(self.changes),
                "appeared": len(self.appeared),
                "resolved": len(self.resolved),
                "before": self.old.summary(),
                "after": self.new.summary(),
            },
        }


def diff_maps(old: JourneyMap, new: JourneyMap) -> MapDiff:
    """Compare two versions of a journey map.

    Examples
    --------
    >>> from journeygraph.testing import tiny_map
    >>> old = tiny_map()
    >>> new = tiny_map()
    >>> new.touchpoints[0].owners.accountable.append("marketing")
    >>> d = diff_maps(old, new)
    >>> [(c.kind, c.key, c.how) for c in d.changes]
    [('ownership', ('ad', 'A', 'marketing'), 'added')]
    >>> [finding.rule for finding in d.resolved]
    ['missing-accountable']
    """
    with paused_gc():
        return _diff(old, new)


def _diff(old: JourneyMap, new: JourneyMap) -> MapDiff:
    G_old, G_new = old.to_networkx(), new.to_networkx()
    before, after = audit(old, graph=G_old), audit(new, graph=G_new)
    was = {(finding.rule, finding.entities): finding for finding in before.findings}
    now = {(finding.rule, finding.entities): finding for finding in after.findings}
    matrix_before = coverage_matrix(G_old)
    matrix_after = coverage_matrix(G_new)
    return MapDiff(
        old=before,
        new=after,
        changes=_changes(old, new),
        appeared=[finding for key, finding in now.items() if key not in was],
        resolved=[finding for key, finding in was.items() if key not in now],
        matrix_before=matrix_before,
        matrix_after=matrix_after,
        matrix_changes=_matrix_changes(matrix_before, matrix_after),
    )


def _changes(old: JourneyMap, new: JourneyMap) -> list[Change]:
    changes: list[Change] = []
    for kind, before, after in (
        ("stage", old.stages, new.stages),
        ("department", old.departments, new.departments),
        ("function", old.functions, new.functions),
        ("touchpoint", old.touchpoints, new.touchpoints),
        ("persona", old.personas, new.personas),
        ("opportunity", old.opportunities, new.opportunities),
    ):
        changes += _entities(kind, {(e.id,): e for e in before}, {(e.id,): e for e in after})
    if [s.id for s in old.stages if s.id in {t.id for t in new.stages}] != [
        s.id for s in new.stages if s.id in {t.id for t in old.stages}
    ]:
        changes.append(Change("stage", (), "changed", "stage order"))
    changes += _sets("transition", _transitions(old), _transitions(new))
    changes += _sets("ownership", _ownership(old), _ownership(new))
    changes += _entities(
        "handoff",
        {(h.from_, h.to): h for h in old.handoffs},
        {(h.from_, h.to): h for h in new.handoffs},
    )
    if old.audit != new.audit:
        changes.append(Change("audit", (), "changed", "audit configuration"))
    return changes


def _entities(
    kind: str, before: dict[tuple[str, ...], Any], after: dict[tuple[str, ...], Any]
) -> list[Change]:
    """Entities removed, added, and changed (naming the fields that changed)."""
    out = [Change(kind, i, "removed") for i in before if i not in after]
    out += [Change(kind, i, "added") for i in after if i not in before]
    for i in before.keys() & after.keys():
        # Owners and transitions are compared on their own, below.
        skip = {"owners", "next"}
        a = before[i].model_dump(exclude=skip)
        b = after[i].model_dump(exclude=skip)
        fields = sorted(k for k in a if a[k] != b[k])
        if fields:
            out.append(Change(kind, i, "changed", ", ".join(fields)))
    return sorted(out, key=lambda c: (c.how, c.key))


def _sets(
    kind: str, before: dict[tuple[str, ...], str], after: dict[tuple[str, ...], str]
) -> list[Change]:
    out = [Change(kind, k, "removed") for k in before if k not in after]
    out += [Change(kind, k, "added") for k in after if k not in before]
    out += [
        Change(kind, k, "changed", f"{before[k]} -> {after[k]}")
        for k in before.keys() & after.keys()
        if before[k] != after[k]
    ]
    return sorted(out, key=lambda c: (c.how, c.key))


def _transitions(m: JourneyMap) -> dict[tuple[str, ...], str]:
    return {
        (t.id, s.to): "" if s.weight is None else f"weight {s.weight:g}"
        for t in m.touchpoints
        for s in t.next
    }


def _ownership(m: JourneyMap) -> dict[tuple[str, ...], str]:
    return {
        (t.id, r, function): ""
        for t in m.touchpoints
        for r in ROLES
        for function in t.owners.role(r)
    }


def _matrix_changes(
    before: CoverageMatrix, after: CoverageMatrix
) -> list[tuple[str, str, str, str]]:
    cells_before = {(r.function, s): c for r in before.rows for s, c in r.cells.items()}
    cells_after = {(r.function, s): c for r in after.rows for s, c in r.cells.items()}
    keys = sorted(cells_before.keys() | cells_after.keys())
    return [
        (function, s, cells_before.get((function, s), ""), cells_after.get((function, s), ""))
        for function, s in keys
        if cells_before.get((function, s), "") != cells_after.get((function, s), "")
    ]


_ROLE_WORDS = {"R": "Responsible", "A": "Accountable", "C": "Consulted", "I": "Informed"}


def describe(change: Change, old: JourneyMap, new: JourneyMap) -> str:
    """A change in the names a client reads, never ids: who holds which role where,
    which step customers take, what was added, removed or changed.

    Examples
    --------
    >>> from journeygraph.testing import tiny_map
    >>> old, new = tiny_map(), tiny_map()
    >>> new.touchpoints[0].owners.accountable.append("marketing")
    >>> [describe(c, old, new) for c in diff_maps(old, new).changes]
    ['marketing is now Accountable for ad']
    """
    names: dict[str, dict[str, str]] = {}
    for m in (old, new):  # the new name wins; a removed thing keeps its old one
        for kind, entities in (
            ("stage", m.stages),
            ("department", m.departments),
            ("function", m.functions),
            ("touchpoint", m.touchpoints),
            ("persona", m.personas),
            ("opportunity", m.opportunities),
        ):
            names.setdefault(kind, {}).update((e.id, e.label) for e in entities)

    def name(kind: str, ident: str) -> str:
        return names.get(kind, {}).get(ident, ident)

    fields = change.detail.replace("_", " ")
    if change.kind == "ownership":
        tp, role, fn = change.key
        now = "is now" if change.how == "added" else "is no longer"
        return f"{name('function', fn)} {now} {_ROLE_WORDS[role]} for {name('touchpoint', tp)}"
    if change.kind == "transition":
        a, b = (name("touchpoint", t) for t in change.key)
        if change.how == "added":
            return f"Customers can now go from {a} to {b}"
        if change.how == "removed":
            return f"Customers no longer go from {a} to {b}"
        return f"The step from {a} to {b} changed ({fields})"
    if change.kind == "handoff":
        giver, taker = (name("function", x) for x in change.key)
        what = f"The handoff from {giver} to {taker}"
        return f"{what} was {change.how}" + (f" ({fields})" if fields else "")
    if change.kind == "stage" and not change.key:
        return "The order of the stages changed"
    if change.kind == "audit":
        return "The audit settings changed"
    label = name(change.kind, change.key[0]) if change.key else ""
    if change.how == "changed":
        return f"The {change.kind} {label} changed: {fields}"
    return f"The {change.kind} {label} was {change.how}"


def earlier_versions(
    before: Sequence[JourneyMap], current: Sequence[JourneyMap]
) -> dict[str, JourneyMap]:
    """The earlier version of each current journey, matched by journey id.

    An earlier map whose journey is not among ``current``, or two earlier maps
    of one journey, are refused: either would be left out without a word.

    Examples
    --------
    >>> from journeygraph.testing import tiny_map
    >>> sorted(earlier_versions([tiny_map()], [tiny_map()]))
    ['tiny']
    """
    reported = {m.id for m in current}
    found: dict[str, JourneyMap] = {}
    for m in before:
        where = shown(m.source.file) if m.source else shown(m.id)
        if m.id not in reported:
            raise JourneyGraphError(
                f"--before {where} holds journey {shown(m.id)!r}, which is not among the maps "
                f"reported ({', '.join(repr(shown(i)) for i in sorted(reported))}); "
                "give an earlier version of a reported journey"
            )
        if m.id in found:
            raise JourneyGraphError(
                f"--before gives journey {shown(m.id)!r} twice; give one earlier version of it"
            )
        found[m.id] = m
    return found
