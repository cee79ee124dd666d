"""Integrity of a journey map: unique ids and references that resolve.

Problems carry the path of the offending value inside the map (for example
``("touchpoints", 3, "stage")``) so that the loader can point at its line.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from operator import attrgetter
from typing import TYPE_CHECKING

from journeygraph.exceptions import did_you_mean
from journeygraph.roles import ROLES

if TYPE_CHECKING:
    from typing import Protocol

    from journeygraph.model import AuditConfig, JourneyMap, Touchpoint

    class _Named(Protocol):
        @property
        def id(self) -> str: ...
        @property
        def name(self) -> str | None: ...


from journeygraph.rule_ids import ALL_RULE_IDS

__all__ = ["PathProblem", "check_integrity", "config_problems"]

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class PathProblem:
    """A problem at a path inside the map's data.

    ``first`` is the path of an earlier definition the problem clashes with.
    """

    path: Path
    message: str
    first: Path | None = None


def check_integrity(
    m: JourneyMap, *, also_defined: dict[str, set[str]] | None = None
) -> list[PathProblem]:
    """Every integrity problem of ``m``: duplicate ids and unresolved references.

    ``also_defined`` adds ids per section (``"stages"``, ``"functions"``, ...)
    that count as defined: entries of a file that were themselves invalid, so
    that references to them are not reported twice.

    Examples
    --------
    >>> from journeygraph.testing import tiny_map
    >>> check_integrity(tiny_map())
    []
    """
    return list(_problems(m, also_defined or {}))


def _problems(m: JourneyMap, also: dict[str, set[str]]) -> Iterator[PathProblem]:
    yield from _duplicates("stages", "stage", [s.id for s in m.stages])
    yield from _duplicates("departments", "department", [d.id for d in m.departments])
    yield from _duplicates("functions", "function", [function.id for function in m.functions])
    yield from _duplicates("touchpoints", "touchpoint", [t.id for t in m.touchpoints])
    yield from _duplicates("personas", "persona", [p.id for p in m.personas])
    yield from _duplicates("opportunities", "opportunity", [o.id for o in m.opportunities])

    ids = _Ids(
        stages=_known(m.stages, also.get("stages", set())),
        departments=_known(m.departments, also.get("departments", set())),
        functions=_known(m.functions, also.get("functions", set())),
        touchpoints=_known(m.touchpoints, also.get("touchpoints", set())),
        personas=_known(m.personas, also.get("personas", set())),
    )
    for i, function in enumerate(m.functions):
        if function.department is not None and function.department not in ids.departments:
            yield _unknown(
                ("functions", i, "department"), "department", function.department, ids.departments
            )
    for i, t in enumerate(m.touchpoints):
        if not _plainly_valid(t, ids):
            yield from _touchpoint_problems(t, ("touchpoints", i), ids)
    yield from _handoff_problems(m, ids)
    yield from _cycle_problems(m, ids)
    # Only where some entity names its log's: most maps name none.
    if any(map(_log_names, m.touchpoints)):
        yield from _log_name_problems(
            "touchpoints", "log_names", "log name", [(t.id, t.log_names) for t in m.touchpoints]
        )
    if any(map(_log_performers, m.functions)):
        yield from _log_name_problems(
            "functions",
            "log_performers",
            "performer",
            [(function.id, function.log_performers) for function in m.functions],
        )
    for i, o in enumerate(m.opportunities):
        for j, tid in enumerate(o.touchpoints):
            if tid not in ids.touchpoints:
                here: Path = ("opportunities", i, "touchpoints", j)
                yield _unknown(here, "touchpoint", tid, ids.touchpoints)
        if o.owner is not None and o.owner not in ids.functions:
            yield _unknown(("opportunities", i, "owner"), "function", o.owner, ids.functions)
    for problem in config_problems(m.audit):
        yield PathProblem(("audit", *problem.path), problem.message)


_log_names, _log_performers = attrgetter("log_names"), attrgetter("log_performers")

Known = dict[str, str | None]
"""Defined ids, each with its display name (``None`` where it has none)."""


def _known(entities: Iterable[_Named], more: set[str]) -> Known:
    known: Known = {e.id: e.name for e in entities}
    known.update((ident, None) for ident in more if ident not in known)
    return known


@dataclass(frozen=True)
class _Ids:
    """The ids a map defines, by what they name."""

    stages: Known
    departments: Known
    functions: Known
    touchpoints: Known
    personas: Known


def _plainly_valid(t: Touchpoint, ids: _Ids) -> bool:
    """Whether ``t`` has no problem `_touchpoint_problems` would find, without an
    experience to check: the quick look at each touchpoint of a large map."""
    if t.stage not in ids.stages or t.experience:
        return False
    functions, touchpoints = ids.functions, ids.touchpoints
    owners = t.owners
    for listed in (owners.responsible, owners.accountable, owners.consulted, owners.informed):
        for fid in listed:
            if fid not in functions:
                return False
        if len(listed) > 1 and len(set(listed)) < len(listed):
            return False
    targets = [step.to for step in t.next]
    for target in targets:
        if target not in touchpoints:
            return False
    return len(targets) < 2 or len(set(targets)) == len(targets)


def _touchpoint_problems(t: Touchpoint, here: Path, ids: _Ids) -> Iterator[PathProblem]:
    if t.stage not in ids.stages:
        yield _unknown((*here, "stage"), "stage", t.stage, ids.stages)
    # The paths are made only for a problem: a large map has none, and
    # millions of owners and transitions.
    for role in ROLES:
        seen: set[str] = set()
        for j, fid in enumerate(t.owners.role(role)):
            if fid not in ids.functions:
                yield _unknown((*here, "owners", role, j), "function", fid, ids.functions)
            elif fid in seen:
                yield PathProblem(
                    (*here, "owners", role, j), f"function {fid!r} is listed twice as {role}"
                )
            seen.add(fid)
    targets: set[str] = set()
    for j, step in enumerate(t.next):
        if step.to not in ids.touchpoints:
            yield _unknown((*here, "next", j, "to"), "touchpoint", step.to, ids.touchpoints)
        elif step.to in targets:
            yield PathProblem(
                (*here, "next", j, "to"),
                f"transition {t.id!r} -> {step.to!r} is listed twice; keep one "
                "(give it a weight if it matters how many customers take it)",
            )
        targets.add(step.to)
    felt: set[str | None] = set()
    for j, e in enumerate(t.experience):
        path = (*here, "experience", j)
        if e.persona is not None and e.persona not in ids.personas:
            yield _unknown((*path, "persona"), "persona", e.persona, ids.personas)
        elif e.persona in felt:
            whose = f"persona {e.persona!r}" if e.persona else "every customer (no persona)"
            yield PathProblem(path, f"the experience of {whose} is given twice; merge them")
        felt.add(e.persona)


def _handoff_problems(m: JourneyMap, ids: _Ids) -> Iterator[PathProblem]:
    declared: set[tuple[str, str]] = set()
    # Every transition of the map, only where a handoff is scoped to some.
    transitions = (
        {(t.id, step.to) for t in m.touchpoints for step in t.next}
        if any(h.at for h in m.handoffs)
        else set()
    )
    for k, h in enumerate(m.handoffs):
        here: Path = ("handoffs", k)
        for key, fid in (("from", h.from_), ("to", h.to)):
            if fid not in ids.functions:
                yield _unknown((*here, key), "function", fid, ids.functions)
        if h.from_ == h.to:
            yield PathProblem(
                here, f"handoff from {h.from_!r} to itself; a handoff joins two functions"
            )
        elif (h.from_, h.to) in declared:
            yield PathProblem(here, f"handoff {h.from_!r} -> {h.to!r} is declared twice")
        declared.add((h.from_, h.to))
        for j, (a, b) in enumerate(h.at):
            for end, tid in enumerate((a, b)):
                if tid not in ids.touchpoints:
                    yield _unknown((*here, "at", j, end), "touchpoint", tid, ids.touchpoints)
            if a in ids.touchpoints and b in ids.touchpoints and (a, b) not in transitions:
                yield PathProblem(
                    (*here, "at", j),
                    f"the map has no transition {a!r} -> {b!r}; a handoff covers "
                    f"transitions: add {b!r} to the next of {a!r}, or correct the pair",
                )


def _cycle_problems(m: JourneyMap, ids: _Ids) -> Iterator[PathProblem]:
    # An intended cycle names the loop its transition closes: one that closes
    # none is a mistake (a wrong target, or a mark on the wrong transition).
    marked: list[tuple[int, Touchpoint]] = []
    # A loop over every transition, not a generator per touchpoint (a tenth of the check).
    for i, t in enumerate(m.touchpoints):
        for step in t.next:
            if step.cycle is not None or step.reason is not None:
                marked.append((i, t))
                break
    if not marked:
        return
    successors: dict[str, list[str]] = {}
    for t in m.touchpoints:
        successors.setdefault(t.id, []).extend(step.to for step in t.next)
    for i, t in marked:
        for j, step in enumerate(t.next):
            if step.cycle is None and step.reason is not None:
                yield PathProblem(
                    ("touchpoints", i, "next", j, "reason"),
                    f"transition {t.id!r} -> {step.to!r} gives a reason but no cycle; a "
                    "reason explains an intended cycle: add its name (cycle: retention)",
                )
            if step.cycle is None or step.to not in ids.touchpoints:
                continue
            if not _reaches(successors, step.to, t.id):
                yield PathProblem(
                    ("touchpoints", i, "next", j, "cycle"),
                    f"transition {t.id!r} -> {step.to!r} is marked as cycle {step.cycle!r} "
                    f"but closes no loop: nothing leads from {step.to!r} back to {t.id!r}; "
                    "mark the transition that goes back, or remove the cycle",
                )


def _reaches(successors: dict[str, list[str]], source: str, target: str) -> bool:
    seen = {source}
    stack = [source]
    while stack:
        node = stack.pop()
        if node == target:
            return True
        for nxt in successors.get(node, ()):
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return False


def _log_name_problems(
    section: str, key: str, kind: str, listed: list[tuple[str, list[str]]]
) -> Iterator[PathProblem]:
    """A log's name stands for one entity: the same name under two is a clash."""
    first: dict[str, tuple[str, Path]] = {}
    for i, (ident, names) in enumerate(listed):
        for j, name in enumerate(names):
            here: Path = (section, i, key, j)
            if name not in first:
                first[name] = (ident, here)
            elif first[name][0] != ident:
                yield PathProblem(
                    here,
                    f"{kind} {name!r} is also listed by {first[name][0]!r}; a name in the log "
                    "stands for one of them: keep it on one",
                    first=first[name][1],
                )
            else:
                yield PathProblem(here, f"{kind} {name!r} is listed twice")


def config_problems(config: AuditConfig) -> Iterator[PathProblem]:
    """Rule ids in an audit config that no rule has (paths relative to the config)."""
    # The conformance checks are configured in the same section as the audit's rules.
    rule_ids = ALL_RULE_IDS
    for j, rule in enumerate(config.disable):
        if rule not in rule_ids:
            yield _unknown(("disable", j), "rule", rule, rule_ids)
    for rule in config.severity:
        if rule not in rule_ids:
            yield _unknown(("severity", rule), "rule", rule, rule_ids)
    for j, waiver in enumerate(config.waivers):
        if waiver.rule not in rule_ids:
            yield _unknown(("waivers", j, "rule"), "rule", waiver.rule, rule_ids)


def _duplicates(section: str, kind: str, ids: list[str]) -> Iterator[PathProblem]:
    if len(set(ids)) == len(ids):  # the usual case, found without a loop in Python
        return
    first: dict[str, int] = {}
    for i, ident in enumerate(ids):
        if ident in first:
            yield PathProblem(
                (section, i, "id"),
                f"duplicate {kind} id {ident!r}; ids must be unique",
                first=(section, first[ident]),
            )
        else:
            first[ident] = i


def _unknown(path: Path, kind: str, ident: str, known: Known | Iterable[str]) -> PathProblem:
    named = known if isinstance(known, dict) else dict.fromkeys(known)
    ids = sorted(named)
    hint = _joined(ident, ids) or did_you_mean(ident, ids) or _by_name(ident, named)
    if not hint:
        hint = f"; known {kind}s: {_listing(ids)}" if ids else f"; no {kind}s are defined"
    return PathProblem(path, f"unknown {kind} {ident!r}{hint}")


def _by_name(ident: str, named: Known) -> str:
    # "Head of credit risk" for `credit-head`: people remember names, not ids.
    by_name = {name.casefold(): i for i, name in named.items() if name}
    import difflib  # only when an id is unknown

    close = difflib.get_close_matches(ident.casefold(), list(by_name), n=1, cutoff=0.6)
    if not close:
        return ""
    ident = by_name[close[0]]
    return f"; did you mean {ident!r} (named {named[ident]!r})? Refer to it by id"


def _joined(ident: str, ids: list[str]) -> str:
    # `R: 'sdr, ae'` is one id with a comma in it, not two ids.
    parts = [p.strip() for p in ident.split(",")]
    if len(parts) > 1 and all(p in ids for p in parts):
        return f"; for several, write a list: [{', '.join(parts)}]"
    return ""


def _listing(items: list[str], most: int = 8) -> str:
    shown = ", ".join(repr(i) for i in items[:most])
    return shown + (f" and {len(items) - most} more" if len(items) > most else "")
