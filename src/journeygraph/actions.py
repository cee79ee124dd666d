"""The action plan: findings grouped into the decisions a client takes, each with an owner.

Findings are many and technical; a client acts on few decisions. Each finding
goes to one action by what it is about: the handoff gaps between two sets of
functions (and, with a log, the work that passes between them with no agreed
handoff) are one action, "agree a handoff procedure"; the touchpoints of a stage
that lack owners are one; the workload findings of a function are one; and so
on (`ACTION_OF`). Opportunities written in the map join the plan as they are.

An action's **owner** is the Accountable function of what it is about: of the
touchpoint; of the touchpoint customers reach, for a transition; the function
most often Accountable on the touchpoints involved, for a function, a pair of
functions or a stage; else it is "to assign". Its **customers** are, with a log,
the most customers any of its findings touches; without one, the monthly
``volume`` of the busiest touchpoint involved, where the map gives volumes.
Its **priority** orders the plan: the highest severity times the customers
(or times one without figures), then more findings first.

Examples
--------
>>> import journeygraph
>>> m = journeygraph.load("examples/b2b-saas.yaml")
>>> plan = action_plan(m, journeygraph.audit(m))
>>> plan[0].priority, plan[0].title
(1, 'Name who owns the unowned steps of Awareness')
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from journeygraph import rule_ids as ids
from journeygraph.audit import AuditResult
from journeygraph.model import JourneyMap, Severity
from journeygraph.rules import Finding

if TYPE_CHECKING:
    from journeygraph.evidence import Evidence

__all__ = ["ACTION_OF", "Action", "action_plan"]

TO_ASSIGN = "to assign"
"""The owner of an action nobody is Accountable for."""


@dataclass
class Action:
    """One decision for the client, with the findings it answers.

    Attributes
    ----------
    priority
        Its place in the plan, from 1.
    title
        What to do, in a sentence of names (never ids).
    details
        What it covers: the touchpoints, steps or figures, in words.
    owner
        The display name of the function that owns it, or "to assign".
    severity
        The highest severity of its findings.
    customers
        Customers touched (see the module), or ``None`` where nothing says.
    status
        ``open`` for findings; an opportunity's own status.
    source
        ``audit``, ``log`` (the conformance checks), both, or ``opportunity``.
    findings
        The findings it answers.
    """

    key: tuple[str, ...]
    title: str
    owner: str
    severity: Severity
    customers: int | None = None
    status: str = "open"
    source: str = "audit"
    details: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    priority: int = 0

    @property
    def score(self) -> int:
        """What the plan is ordered by: severity (4 to 1) times customers (1 without)."""
        return (self.severity.rank + 1) * max(self.customers or 1, 1)

    def to_dict(self) -> dict[str, Any]:
        """As JSON-ready data, one row of a tracker."""
        return {
            "priority": self.priority,
            "action": self.title,
            "details": "; ".join(self.details),
            "owner": self.owner,
            "severity": self.severity.value,
            "customers": self.customers,
            "findings": len(self.findings),
            "rules": sorted({f.rule for f in self.findings}),
            "status": self.status,
            "source": self.source,
        }


@dataclass
class _Names:
    """The map's display names and who is Accountable where, for wording actions."""

    m: JourneyMap
    touchpoint: dict[str, str] = field(default_factory=dict)
    function: dict[str, str] = field(default_factory=dict)
    stage: dict[str, str] = field(default_factory=dict)
    stage_of: dict[str, str] = field(default_factory=dict)
    accountable: dict[str, list[str]] = field(default_factory=dict)
    responsible: dict[str, list[str]] = field(default_factory=dict)
    volume: dict[str, float] = field(default_factory=dict)
    department_of: dict[str, str] = field(default_factory=dict)
    """Function id to its department's name, when actions are owned by departments."""

    @classmethod
    def of(cls, m: JourneyMap, owners: str = "function") -> _Names:
        departments = {d.id: d.label for d in m.departments}
        return cls(
            m,
            {t.id: t.label for t in m.touchpoints},
            {f.id: f.label for f in m.functions},
            {s.id: s.label for s in m.stages},
            {t.id: t.stage for t in m.touchpoints},
            {t.id: list(t.owners.accountable) for t in m.touchpoints},
            {t.id: list(t.owners.responsible) for t in m.touchpoints},
            {t.id: float(t.volume) for t in m.touchpoints if t.volume is not None},
            {
                f.id: departments[f.department]
                for f in m.functions
                if owners == "department" and f.department in departments
            },
        )

    def tp(self, ident: str) -> str:
        return self.touchpoint.get(ident, ident)

    def fn(self, ident: str) -> str:
        return self.function.get(ident, ident)

    def fns(self, idents: Iterable[str]) -> str:
        names = [self.fn(f) for f in sorted(idents)]
        return (
            " and ".join(names) if len(names) < 3 else ", ".join(names[:-1]) + f" and {names[-1]}"
        )

    def owner_of(self, touchpoints: Iterable[str]) -> str:
        """The function most often Accountable on ``touchpoints`` (ties by name)."""
        counted = Counter(a for t in touchpoints for a in self.accountable.get(t, []))
        if not counted:
            return TO_ASSIGN
        best = max(counted.values())
        chosen = min((f for f, n in counted.items() if n == best), key=self.fn)
        return self.owner(chosen)

    def owner(self, function: str) -> str:
        """Who owns what ``function`` is Accountable for: it, or its department."""
        return self.department_of.get(function, self.fn(function))

    def touchpoints_of(self, function: str) -> list[str]:
        """The touchpoints ``function`` is Responsible or Accountable for, in map order."""
        return self._held.get(function, [])

    def members(self, stage: str) -> list[str]:
        """The touchpoints of ``stage``, in map order."""
        return self._members.get(stage, [])

    # Indexed once: a pass over every touchpoint per finding made a plan quadratic.
    @functools.cached_property
    def _held(self) -> dict[str, list[str]]:
        held: dict[str, list[str]] = {}
        for t in self.touchpoint:
            for f in dict.fromkeys([*self.responsible.get(t, []), *self.accountable.get(t, [])]):
                held.setdefault(f, []).append(t)
        return held

    @functools.cached_property
    def _members(self) -> dict[str, list[str]]:
        members: dict[str, list[str]] = {}
        for t, s in self.stage_of.items():
            members.setdefault(s, []).append(t)
        return members


Grouping = Callable[[Finding, _Names], tuple[tuple[str, ...], str, list[str], str]]
"""From a finding: the action's key, title, details, owner."""


def _handoff(f: Finding, n: _Names) -> tuple[tuple[str, ...], str, list[str], str]:
    givers: tuple[str, ...]
    takers: tuple[str, ...]
    if f.rule == ids.UNDECLARED_HANDOVER:
        givers, takers = (f.entities[0],), (f.entities[1],)
        where = [
            f"{n.tp(w['from'])} → {n.tp(w['to'])} (work passed {w['steps']} times in the log)"
            for w in f.details.get("at", [])
        ]
        owner = n.owner_of(w["to"] for w in f.details.get("at", []))
    else:
        a, b = f.entities
        givers, takers = (
            tuple(sorted(n.responsible.get(a, []))),
            tuple(sorted(n.responsible.get(b, []))),
        )
        where = [f"{n.tp(a)} → {n.tp(b)}"]
        owner = n.owner_of([b]) if n.accountable.get(b) else n.owner_of([a])
    title = f"Agree a handoff procedure from {n.fns(givers)} to {n.fns(takers)}"
    return ("handoff", *givers, "->", *takers), title, where, owner


def _pair(verb: str) -> Grouping:
    def group(f: Finding, n: _Names) -> tuple[tuple[str, ...], str, list[str], str]:
        giver, taker = f.entities
        involved = [t for t in n.touchpoint if taker in n.responsible.get(t, [])]
        title = verb.format(giver=n.fn(giver), taker=n.fn(taker), **f.details)
        return (f.rule, giver, taker), title, [f.message], n.owner_of(involved)

    return group


def _owners(f: Finding, n: _Names) -> tuple[tuple[str, ...], str, list[str], str]:
    tp = f.entities[0]
    stage = n.stage_of.get(tp, "")
    missing = {
        ids.UNOWNED_TOUCHPOINT: "no owner",
        ids.MISSING_RESPONSIBLE: "no Responsible",
        ids.MISSING_ACCOUNTABLE: "no Accountable",
    }[f.rule]
    title = f"Name who owns the unowned steps of {n.stage.get(stage, stage)}"
    return ("owners", stage), title, [f"{n.tp(tp)}: {missing}"], n.owner_of(n.members(stage))


def _accountable(f: Finding, n: _Names) -> tuple[tuple[str, ...], str, list[str], str]:
    tp = f.entities[0]
    stage = n.stage_of.get(tp, "")
    where = n.stage.get(stage, stage)
    if f.rule == ids.SPLIT_ACCOUNTABILITY:
        title = f"Give the steps of {where} an Accountable in the department doing the work"
    else:
        title = f"Settle one Accountable for each step of {where}"
    return (f.rule, stage), title, [f.message], n.owner_of([tp])


def _rework(f: Finding, n: _Names) -> tuple[tuple[str, ...], str, list[str], str]:
    # Rework round one of the map's loops is that loop's action; at one touchpoint, its own.
    if len(f.entities) > 1:
        return _loop(f, n)
    return _touchpoint("Cut the rework at {touchpoint}", "rework")(f, n)


def _function(verb: str, kind: str) -> Grouping:
    def group(f: Finding, n: _Names) -> tuple[tuple[str, ...], str, list[str], str]:
        fn = f.entities[0] if f.subject.kind == "function" else f.entities[-1]
        title = verb.format(function=n.fn(fn))
        return (kind, fn), title, [f.message], n.owner_of(n.touchpoints_of(fn))

    return group


def _stage(verb: str) -> Grouping:
    def group(f: Finding, n: _Names) -> tuple[tuple[str, ...], str, list[str], str]:
        stage = f.entities[0]
        title = verb.format(stage=n.stage.get(stage, stage))
        return (f.rule, stage), title, [f.message], n.owner_of(n.members(stage))

    return group


def _touchpoint(verb: str, kind: str | None = None) -> Grouping:
    def group(f: Finding, n: _Names) -> tuple[tuple[str, ...], str, list[str], str]:
        tp = f.entities[0]
        title = verb.format(touchpoint=n.tp(tp))
        return (kind or f.rule, tp), title, [f.message], n.owner_of([tp])

    return group


def _loop(f: Finding, n: _Names) -> tuple[tuple[str, ...], str, list[str], str]:
    members = sorted(f.entities)
    names = ", ".join(n.tp(t) for t in members[:4]) + (" ..." if len(members) > 4 else "")
    title = f"Cut the rework loop through {names}"
    return ("loop", *members), title, [f.message], n.owner_of(members)


def _map_update(f: Finding, n: _Names) -> tuple[tuple[str, ...], str, list[str], str]:
    title = "Bring the map up to date with what customers do"
    return ("map",), title, [f.message], n.owner_of(e for e in f.entities if e in n.touchpoint)


def _people(f: Finding, n: _Names) -> tuple[tuple[str, ...], str, list[str], str]:
    return ("people",), "Place the log's people in the map's functions", [f.message], TO_ASSIGN


ACTION_OF: dict[str, Grouping] = {
    ids.HANDOFF_GAP: _handoff,
    ids.UNDECLARED_HANDOVER: _handoff,
    ids.HANDOFF_WITHOUT_SLA: _pair(
        "Set a pick-up time (SLA) for the handoff from {giver} to {taker}"
    ),
    ids.SLA_BREACH: _pair("Bring the handoff from {giver} to {taker} within its SLA of {sla}"),
    ids.UNUSED_HANDOFF: _pair("Retire or re-scope the unused handoff from {giver} to {taker}"),
    ids.UNOWNED_TOUCHPOINT: _owners,
    ids.MISSING_RESPONSIBLE: _owners,
    ids.MISSING_ACCOUNTABLE: _owners,
    ids.MULTIPLE_ACCOUNTABLE: _accountable,
    ids.SPLIT_ACCOUNTABILITY: _accountable,
    ids.OVERLOADED_FUNCTION: _function("Rebalance the work of {function}", "workload"),
    ids.CAPACITY_OVERLOAD: _function("Rebalance the work of {function}", "workload"),
    ids.ACCOUNTABILITY_CONCENTRATION: _function(
        "Share out the accountability {function} holds alone", "concentration"
    ),
    ids.IDLE_FUNCTION: _function("Give {function} a role in the journey, or retire it", "idle"),
    ids.LOOP: _loop,
    ids.REWORK: _rework,
    ids.DEAD_END: _touchpoint("Give customers a way on from {touchpoint}"),
    ids.UNREACHABLE_TOUCHPOINT: _touchpoint("Connect {touchpoint} to the journey, or remove it"),
    ids.DROP_OFF: _touchpoint("Find why customers leave at {touchpoint}"),
    ids.UNADDRESSED_PAIN_POINT: _touchpoint("Plan an improvement for the pain at {touchpoint}"),
    ids.RESPONSIBLE_NOT_OBSERVED: _touchpoint(
        "Align who is Responsible for {touchpoint} with who does the work", "raci"
    ),
    ids.UNEXPECTED_PERFORMER: _touchpoint(
        "Align who is Responsible for {touchpoint} with who does the work", "raci"
    ),
    ids.EMPTY_STAGE: _stage("Fill the empty stage {stage}, or remove it"),
    ids.SINGLE_OWNER_STAGE: _stage("Give stage {stage} a second function to fall back on"),
    ids.MISSING_METRIC: _stage("Agree how stage {stage} is measured"),
    ids.UNMAPPED_TOUCHPOINT: _map_update,
    ids.UNMAPPED_TRANSITION: _map_update,
    ids.UNOBSERVED_TOUCHPOINT: _map_update,
    ids.UNOBSERVED_TRANSITION: _map_update,
    ids.UNMAPPED_PERFORMER: _people,
}
"""How each rule's findings become an action (a test checks every rule has one)."""


def action_plan(
    m: JourneyMap,
    result: AuditResult,
    evidence: Evidence | None = None,
    *,
    opportunities: bool = True,
    owners: Literal["function", "department"] = "function",
) -> list[Action]:
    """The action plan of an audited map, highest priority first.

    With ``evidence`` (`journeygraph.evidence.compare`), the audit's findings
    come weighted by customers and the log's checks join the plan. ``owners``
    says who owns an action: the Accountable ``function``, or its
    ``department`` (whose lead the client names), the function's own name
    where it has none.

    Examples
    --------
    >>> import journeygraph
    >>> m = journeygraph.load("examples/b2b-saas.yaml")
    >>> [a.owner for a in action_plan(m, journeygraph.audit(m), owners="department")][:2]
    ['Marketing', 'Revenue Operations']
    """
    names = _Names.of(m, owners)
    found: list[tuple[Finding, str]] = []
    if evidence is not None:
        found += [(f, "audit") for f in evidence.audit.findings]
        found += [(f, "log") for f in evidence.conformance.findings]
    else:
        found += [(f, "audit") for f in result.findings]
    actions: dict[tuple[str, ...], Action] = {}
    for f, source in found:
        key, title, details, owner = ACTION_OF[f.rule](f, names)
        action = actions.get(key)
        if action is None:
            action = actions[key] = Action(key, title, owner, f.severity, source=source)
        action.findings.append(f)
        action.details += [d for d in details if d not in action.details]
        action.severity = max(action.severity, f.severity, key=lambda s: s.rank)
        if action.source != source:
            action.source = "audit and log"
        if action.owner == TO_ASSIGN and owner != TO_ASSIGN:
            action.owner = owner
        action.customers = _most(action.customers, _customers(f, names))
    plan = list(actions.values())
    if opportunities:
        plan += _opportunities(m, names)
    plan.sort(key=lambda a: (-a.score, -len(a.findings), a.title))
    for i, action in enumerate(plan, start=1):
        action.priority = i
    return plan


def _most(a: int | None, b: int | None) -> int | None:
    return b if a is None else a if b is None else max(a, b)


def _customers(f: Finding, names: _Names) -> int | None:
    """Customers a finding touches: the log's count, else the busiest touchpoint's volume."""
    if "customers" in f.details:
        return int(f.details["customers"])
    volumes = [names.volume[e] for e in f.entities if e in names.volume]
    return int(max(volumes)) if volumes else None


def _opportunities(m: JourneyMap, names: _Names) -> list[Action]:
    """The map's opportunities, as actions of their own (done ones left out)."""
    out = []
    for o in m.opportunities:
        if o.status == "done":
            continue
        owner = names.owner(o.owner) if o.owner is not None else names.owner_of(o.touchpoints)
        volumes = [names.volume[t] for t in o.touchpoints if t in names.volume]
        action = Action(
            ("opportunity", o.id),
            o.label,
            owner,
            Severity.MEDIUM if o.priority is not None and o.priority <= 2 else Severity.LOW,
            int(max(volumes)) if volumes else None,
            status=o.status,
            source="opportunity",
            details=[f"at {', '.join(names.tp(t) for t in o.touchpoints)}"]
            + ([o.description] if o.description else []),
        )
        out.append(action)
    return out


def top_findings(
    result: AuditResult, evidence: Evidence | None = None, *, count: int = 5
) -> Sequence[Finding]:
    """The findings that matter most: by severity and, with a log, customers touched."""
    found = (
        [*evidence.audit.findings, *evidence.conformance.findings]
        if evidence is not None
        else list(result.findings)
    )
    return sorted(
        found,
        key=lambda f: (-f.severity.rank, -int(f.details.get("customers", 0))),
    )[:count]
