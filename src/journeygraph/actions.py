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
functions or a stage. It is never the function the action relieves ("share out
the accountability X holds alone" is not X's to own): past it, the department
of that function owns it; else it is "to assign". Each action says why its
owner was chosen (``owner_reason``).

Its **reach** is one figure from one source for the whole plan
(``reach_source``): with a log, the most customers in the log any of its
findings touches (an opportunity: the most customers at one of its
touchpoints); without one, the customers a month of the busiest touchpoint it
concerns, from the map's ``volume`` (a function's finding concerns the
touchpoints the function is Responsible or Accountable for; a stage's, the
stage's touchpoints). Where its source says nothing, it has none.

The plan is **ranked** by severity first; within a severity, pain points that
customers feel as bad (an emotion below 0, `Touchpoint.pain_emotion`) come
first, the worst first; then reach (more first; none last), then the order of
the rules (:data:`~journeygraph.rule_ids.AUDIT_RULE_IDS`, then the log checks),
then the title; opportunities come after the findings of their severity and reach.

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
import heapq
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from journeygraph import rule_ids as ids
from journeygraph.audit import AuditResult
from journeygraph.model import JourneyMap, Severity
from journeygraph.rules import Finding

if TYPE_CHECKING:
    from journeygraph.evidence import Evidence

__all__ = [
    "ACTION_OF",
    "REACH_HEADER",
    "REACH_UNIT",
    "RULE_ORDER",
    "Action",
    "Grouped",
    "Owner",
    "action_plan",
    "first_actions",
    "reach_header",
]

TO_ASSIGN = "to assign"
"""The owner of an action nobody is Accountable for."""

ReachSource = Literal["log", "map"]

REACH_HEADER: dict[ReachSource, str] = {
    "log": "Customers in the log",
    "map": "Customers a month (map volumes)",
}
"""The column header of a plan's reach, by its source: one wording for every view."""

REACH_UNIT: dict[ReachSource, str] = {
    "log": "customers in the log",
    "map": "customers a month",
}
"""The reach of one action in a sentence: ``1,357 customers in the log``."""

RULE_ORDER: dict[str, int] = {r: i for i, r in enumerate(ids.AUDIT_RULE_IDS + ids.LOG_CHECK_IDS)}
"""The order of the rules, the plan's last tie-break before the title."""


class Owner(NamedTuple):
    """Who owns an action, and why, in one phrase."""

    name: str
    reason: str


class Grouped(NamedTuple):
    """What a finding says of its action: its key, title, details and owner."""

    key: tuple[str, ...]
    title: str
    details: list[str]
    owner: Owner


def reach_header(plan: Sequence[Action]) -> str:
    """The header of the reach column of ``plan`` (see :data:`REACH_HEADER`).

    Examples
    --------
    >>> reach_header([])
    'Customers a month (map volumes)'
    """
    return REACH_HEADER[plan[0].reach_source if plan else "map"]


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
    owner_reason
        Why that owner, in one phrase ("Accountable for Demo").
    severity
        The highest severity of its findings.
    reach
        Customers it touches (see the module), or ``None`` where its source says nothing.
    reach_source
        ``log`` (customers in the event log) or ``map`` (customers a month, from the
        map's volumes): the same for every action of a plan.
    emotion
        For pain points, the worst emotion felt where they are written
        (`Touchpoint.pain_emotion`); ``None`` for other actions.
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
    reach: int | None = None
    status: str = "open"
    source: str = "audit"
    details: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    priority: int = 0
    owner_reason: str = ""
    reach_source: ReachSource = "map"
    emotion: int | None = None

    @property
    def rank(self) -> tuple[int, int, int, int, str]:
        """What plans are ordered by, smallest first: severity, a bad-feeling pain point's
        emotion (0 for any other action), reach, rule order, title."""
        findings = self.findings
        if len(findings) == 1:  # most actions of a large plan
            first = RULE_ORDER.get(findings[0].rule, len(RULE_ORDER))
        else:  # none, for an opportunity: after the rules
            rules = [RULE_ORDER.get(finding.rule, len(RULE_ORDER)) for finding in findings]
            first = min(rules, default=len(RULE_ORDER) + 1)
        return (
            -self.severity.rank,
            min(self.emotion, 0) if self.emotion is not None else 0,
            -(self.reach if self.reach is not None else -1),
            first,
            self.title,
        )

    @property
    def reach_text(self) -> str:
        """The reach with its unit, ``1,357 customers in the log``, or ``""`` without one."""
        return "" if self.reach is None else f"{self.reach:,} {REACH_UNIT[self.reach_source]}"

    def to_dict(self) -> dict[str, Any]:
        """As JSON-ready data, one row of a tracker."""
        return {
            "priority": self.priority,
            "action": self.title,
            "details": "; ".join(self.details),
            "owner": self.owner,
            "owner_reason": self.owner_reason,
            "severity": self.severity.value,
            "reach": self.reach,
            "reach_source": self.reach_source,
            "findings": len(self.findings),
            "rules": sorted({finding.rule for finding in self.findings}),
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
    department_name: dict[str, str] = field(default_factory=dict)
    """Function id to its department's name, always."""
    pain_emotion: dict[str, int] = field(default_factory=dict)
    """Touchpoint id to how bad its pain feels (`Touchpoint.pain_emotion`), where known."""
    _owners: dict[tuple[tuple[str, ...], str | None], Owner] = field(default_factory=dict)
    """The owner chosen for each set of touchpoints concerned and function relieved."""
    _owner_at: dict[str, Owner] = field(default_factory=dict, repr=False)
    """:meth:`owner_at`'s answers so far."""
    _responsible_worded: dict[str, tuple[tuple[str, ...], str]] = field(
        default_factory=dict, repr=False
    )
    """:meth:`responsible_worded`'s answers so far."""

    @classmethod
    def of(cls, m: JourneyMap, owners: str = "function") -> _Names:
        departments = {d.id: d.label for d in m.departments}
        return cls(
            m,
            {t.id: t.label for t in m.touchpoints},
            {function.id: function.label for function in m.functions},
            {s.id: s.label for s in m.stages},
            {t.id: t.stage for t in m.touchpoints},
            {t.id: list(t.owners.accountable) for t in m.touchpoints},
            {t.id: list(t.owners.responsible) for t in m.touchpoints},
            {t.id: float(t.volume) for t in m.touchpoints if t.volume is not None},
            {
                function.id: departments[function.department]
                for function in m.functions
                if owners == "department" and function.department in departments
            },
            {
                function.id: departments[function.department]
                for function in m.functions
                if function.department in departments
            },
            {t.id: e for t in m.touchpoints if (e := t.pain_emotion) is not None},
        )

    def tp(self, ident: str) -> str:
        return self.touchpoint.get(ident, ident)

    def fn(self, ident: str) -> str:
        return self.function.get(ident, ident)

    def fns(self, idents: Iterable[str]) -> str:
        names = [self.fn(function) for function in sorted(idents)]
        return (
            " and ".join(names) if len(names) < 3 else ", ".join(names[:-1]) + f" and {names[-1]}"
        )

    def owner_of(self, touchpoints: Iterable[str], *, relieves: str | None = None) -> Owner:
        """The function most often Accountable on ``touchpoints`` (ties by name), never
        ``relieves``, the function the action relieves: past it, its department."""
        concerned = tuple(dict.fromkeys(touchpoints))
        # Chosen once for each set of touchpoints: many findings share one (a
        # handoff's taker, a stage's touchpoints).
        owner = self._owners.get((concerned, relieves))
        if owner is None:
            owner = self._owners[concerned, relieves] = self._owner_of(concerned, relieves)
        return owner

    def _owner_of(self, concerned: tuple[str, ...], relieves: str | None) -> Owner:
        if len(concerned) == 1:
            # One touchpoint (most of a plan's asks): its Accountable functions, each
            # once, are all the most often Accountable; the first by name is chosen.
            held_by = [a for a in self.accountable.get(concerned[0], []) if a != relieves]
            if held_by and len(set(held_by)) == len(held_by):
                chosen = min(held_by, key=self.fn)
                reason = f"Accountable for {self.tp(concerned[0])}"
                if chosen in self.department_of:
                    reason += f" ({self.fn(chosen)}'s department)"
                return Owner(self.owner(chosen), reason)
        counted = Counter(
            a for t in concerned for a in self.accountable.get(t, []) if a != relieves
        )
        if counted:
            best = max(counted.values())
            chosen = min((function for function, n in counted.items() if n == best), key=self.fn)
            held = [t for t in concerned if chosen in self.accountable.get(t, [])]
            reason = (
                f"Accountable for {self.tp(held[0])}"
                if len(concerned) == 1
                else f"Accountable for {len(held)} of the {len(concerned)} touchpoints concerned"
            )
            if chosen in self.department_of:
                reason += f" ({self.fn(chosen)}'s department)"
            return Owner(self.owner(chosen), reason)
        department = self.department_name.get(relieves or "")
        if relieves is not None and department is not None:
            by_department = relieves in self.department_of  # owners are departments already
            return Owner(
                department if by_department else f"{department} department",
                f"the department of {self.fn(relieves)}, which the action relieves",
            )
        if relieves is not None:
            return Owner(TO_ASSIGN, f"no one else is Accountable where {self.fn(relieves)} is")
        return Owner(TO_ASSIGN, "no function is Accountable for the touchpoints concerned")

    def owner_at(self, touchpoint: str) -> Owner:
        """:meth:`owner_of` the one ``touchpoint``, found once a touchpoint: a plan's
        many findings of one touchpoint (its changes of hands, above all) ask again."""
        owner = self._owner_at.get(touchpoint)
        if owner is None:
            owner = self._owner_at[touchpoint] = self.owner_of([touchpoint])
        return owner

    def responsible_worded(self, touchpoint: str) -> tuple[tuple[str, ...], str]:
        """The functions Responsible for ``touchpoint``, sorted, and :meth:`fns` of them,
        found once a touchpoint: its changes of hands (three or so) each ask."""
        worded = self._responsible_worded.get(touchpoint)
        if worded is None:
            functions = tuple(sorted(self.responsible.get(touchpoint, [])))
            worded = self._responsible_worded[touchpoint] = (functions, self.fns(functions))
        return worded

    def owner(self, function: str) -> str:
        """Who owns what ``function`` is Accountable for: it, or its department."""
        return self.department_of.get(function, self.fn(function))

    def touchpoints_of(self, function: str) -> list[str]:
        """The touchpoints ``function`` is Responsible or Accountable for, in map order."""
        return self._held.get(function, [])

    def responsible_at(self, function: str) -> list[str]:
        """The touchpoints ``function`` is Responsible for, in map order."""
        return self._responsible_at.get(function, [])

    def members(self, stage: str) -> list[str]:
        """The touchpoints of ``stage``, in map order."""
        return self._members.get(stage, [])

    # Indexed once: a pass over every touchpoint per finding made a plan quadratic.
    @functools.cached_property
    def _held(self) -> dict[str, list[str]]:
        held: dict[str, list[str]] = {}
        for t in self.touchpoint:
            for function in dict.fromkeys(
                [*self.responsible.get(t, []), *self.accountable.get(t, [])]
            ):
                held.setdefault(function, []).append(t)
        return held

    @functools.cached_property
    def _responsible_at(self) -> dict[str, list[str]]:
        at: dict[str, list[str]] = {}
        for t in self.touchpoint:
            for function in dict.fromkeys(self.responsible.get(t, [])):
                at.setdefault(function, []).append(t)
        return at

    @functools.cached_property
    def _members(self) -> dict[str, list[str]]:
        members: dict[str, list[str]] = {}
        for t, s in self.stage_of.items():
            members.setdefault(s, []).append(t)
        return members


Grouping = Callable[[Finding, _Names], Grouped]
"""From a finding: the action's key, title, details, owner."""


def _handoff(finding: Finding, n: _Names) -> Grouped:
    givers: tuple[str, ...]
    takers: tuple[str, ...]
    if finding.rule == ids.UNDECLARED_HANDOVER:
        givers, takers = (finding.entities[0],), (finding.entities[1],)
        where = [
            f"{n.tp(w['from'])} → {n.tp(w['to'])} (work passed {w['steps']} times in the log)"
            for w in finding.details.get("at", [])
        ]
        owner = n.owner_of(w["to"] for w in finding.details.get("at", []))
    else:
        a, b = finding.entities
        (givers, from_whom), (takers, to_whom) = n.responsible_worded(a), n.responsible_worded(b)
        where = [f"{n.tp(a)} → {n.tp(b)}"]
        owner = n.owner_at(b) if n.accountable.get(b) else n.owner_at(a)
        title = f"Agree a handoff procedure from {from_whom} to {to_whom}"
        return Grouped(("handoff", *givers, "->", *takers), title, where, owner)
    title = f"Agree a handoff procedure from {n.fns(givers)} to {n.fns(takers)}"
    return Grouped(("handoff", *givers, "->", *takers), title, where, owner)


def _pair(verb: str) -> Grouping:
    def group(finding: Finding, n: _Names) -> Grouped:
        giver, taker = finding.entities
        involved = n.responsible_at(taker)
        title = verb.format(giver=n.fn(giver), taker=n.fn(taker), **finding.details)
        return Grouped((finding.rule, giver, taker), title, [finding.message], n.owner_of(involved))

    return group


def _owners(finding: Finding, n: _Names) -> Grouped:
    tp = finding.entities[0]
    stage = n.stage_of.get(tp, "")
    missing = {
        ids.UNOWNED_TOUCHPOINT: "no owner",
        ids.MISSING_RESPONSIBLE: "no Responsible",
        ids.MISSING_ACCOUNTABLE: "no Accountable",
    }[finding.rule]
    title = f"Name who owns the unowned steps of {n.stage.get(stage, stage)}"
    owner = n.owner_of(n.members(stage))
    return Grouped(("owners", stage), title, [f"{n.tp(tp)}: {missing}"], owner)


def _accountable(finding: Finding, n: _Names) -> Grouped:
    tp = finding.entities[0]
    stage = n.stage_of.get(tp, "")
    where = n.stage.get(stage, stage)
    if finding.rule == ids.SPLIT_ACCOUNTABILITY:
        title = f"Give the steps of {where} an Accountable in the department doing the work"
    else:
        title = f"Settle one Accountable for each step of {where}"
    return Grouped((finding.rule, stage), title, [finding.message], n.owner_at(tp))


def _rework(finding: Finding, n: _Names) -> Grouped:
    # Rework round one of the map's loops is that loop's action; at one touchpoint, its own.
    if len(finding.entities) > 1:
        return _loop(finding, n)
    return _touchpoint("Cut the rework at {touchpoint}", "rework")(finding, n)


def _function(verb: str, kind: str) -> Grouping:
    def group(finding: Finding, n: _Names) -> Grouped:
        fn = _function_of(finding)
        title = verb.format(function=n.fn(fn))
        # Never owned by the function it relieves.
        owner = n.owner_of(n.touchpoints_of(fn), relieves=fn)
        return Grouped((kind, fn), title, [finding.message], owner)

    return group


def _function_of(finding: Finding) -> str:
    return finding.entities[0] if finding.subject.kind == "function" else finding.entities[-1]


def _stage(verb: str) -> Grouping:
    def group(finding: Finding, n: _Names) -> Grouped:
        stage = finding.entities[0]
        title = verb.format(stage=n.stage.get(stage, stage))
        return Grouped(
            (finding.rule, stage), title, [finding.message], n.owner_of(n.members(stage))
        )

    return group


def _touchpoint(verb: str, kind: str | None = None) -> Grouping:
    def group(finding: Finding, n: _Names) -> Grouped:
        tp = finding.entities[0]
        title = verb.format(touchpoint=n.tp(tp))
        return Grouped((kind or finding.rule, tp), title, [finding.message], n.owner_at(tp))

    return group


def _loop(finding: Finding, n: _Names) -> Grouped:
    members = sorted(finding.entities)
    names = ", ".join(n.tp(t) for t in members[:4]) + (" ..." if len(members) > 4 else "")
    if finding.details.get("kind") == "intended":
        # A cycle the business wants is kept, never cut: its action is to watch it.
        cycles = " and ".join(sorted({e["cycle"] for e in finding.details["intended"]}))
        title = f"Keep the intended cycle {cycles} through {names} working as designed"
        return Grouped(("intended", *members), title, [finding.message], n.owner_of(members))
    title = f"Cut the rework loop through {names}"
    return Grouped(("loop", *members), title, [finding.message], n.owner_of(members))


def _map_update(finding: Finding, n: _Names) -> Grouped:
    title = "Bring the map up to date with what customers do"
    owner = n.owner_of(e for e in finding.entities if e in n.touchpoint)
    return Grouped(("map",), title, [finding.message], owner)


def _people(finding: Finding, n: _Names) -> Grouped:
    owner = Owner(TO_ASSIGN, "the people are not in the map yet")
    return Grouped(
        ("people",), "Place the log's people in the map's functions", [finding.message], owner
    )


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
        found += [(finding, "audit") for finding in evidence.audit.findings]
        found += [(finding, "log") for finding in evidence.conformance.findings]
    else:
        found += [(finding, "audit") for finding in result.findings]
    reach_source: ReachSource = "map" if evidence is None else "log"
    actions: dict[tuple[str, ...], Action] = {}
    details: dict[tuple[str, ...], set[str]] = {}
    for finding, source in found:
        key, title, said, owner = ACTION_OF[finding.rule](finding, names)
        reach = _reach(finding, names, reach_source)
        action = actions.get(key)
        if action is None:
            # The first finding of an action (most of a large plan's actions have one).
            action = actions[key] = Action(
                key,
                title,
                owner.name,
                finding.severity,
                reach,
                source=source,
                details=list(said),
                findings=[finding],
                owner_reason=owner.reason,
                reach_source=reach_source,
            )
        else:
            _joined(action, finding, source, said, owner, reach, details)
        if finding.rule == ids.UNADDRESSED_PAIN_POINT:
            felt = names.pain_emotion.get(finding.entities[0])
            action.emotion = _worst(action.emotion, felt)
    plan = list(actions.values())
    if opportunities:
        plan += _opportunities(m, names, evidence)
    plan.sort(key=lambda a: a.rank)
    for i, action in enumerate(plan, start=1):
        action.priority = i
    return plan


def _joined(
    action: Action,
    finding: Finding,
    source: str,
    said: list[str],
    owner: Owner,
    reach: int | None,
    details: dict[tuple[str, ...], set[str]],
) -> None:
    """``finding`` added to the ``action`` of an earlier one: its details not said yet,
    the worst severity, both sources, an owner where there was none, the most reach."""
    action.findings.append(finding)
    # A set beside the list: scanning the list per finding made an action of
    # thousands of details quadratic.
    known = details.get(action.key)
    if known is None:
        known = details[action.key] = set(action.details)
    added = [d for d in said if d not in known]
    action.details += added
    known.update(added)
    if finding.severity.rank > action.severity.rank:
        action.severity = finding.severity
    if action.source != source:
        action.source = "audit and log"
    if action.owner == TO_ASSIGN and owner.name != TO_ASSIGN:
        action.owner, action.owner_reason = owner
    action.reach = _most(action.reach, reach)


def _most(a: int | None, b: int | None) -> int | None:
    return b if a is None else a if b is None else max(a, b)


def _worst(a: int | None, b: int | None) -> int | None:
    return b if a is None else a if b is None else min(a, b)


def _reach(finding: Finding, names: _Names, source: ReachSource) -> int | None:
    """Customers a finding touches: in the log, by its count; from the map, the monthly
    volume of the busiest touchpoint it concerns (see the module)."""
    if source == "log":
        return int(finding.details["customers"]) if "customers" in finding.details else None
    if not names.volume:
        return None  # the map gives no volumes
    volumes = [names.volume[t] for t in _concerned(finding, names) if t in names.volume]
    return int(max(volumes)) if volumes else None


def _concerned(finding: Finding, names: _Names) -> list[str]:
    """The touchpoints a finding is about: its own, a stage's, or a function's."""
    kind = finding.subject.kind
    if kind == "stage":
        return names.members(finding.entities[0])
    if kind == "function":
        return names.touchpoints_of(_function_of(finding))
    if kind == "handoff":  # a pair of functions: where the taker picks the customer up
        return names.responsible_at(finding.entities[-1])
    return [e for e in finding.entities if e in names.touchpoint]


def _opportunities(m: JourneyMap, names: _Names, evidence: Evidence | None) -> list[Action]:
    """The map's opportunities, as actions of their own (done ones left out)."""
    seen = evidence.flow.touchpoints if evidence is not None else {}
    out = []
    for o in m.opportunities:
        if o.status == "done":
            continue
        if o.owner is not None:
            owner = Owner(names.owner(o.owner), "the opportunity's owner in the map")
        else:
            owner = names.owner_of(o.touchpoints)
        if evidence is None:
            figures = [names.volume[t] for t in o.touchpoints if t in names.volume]
        else:
            figures = [seen[t].customers for t in o.touchpoints if t in seen]
        action = Action(
            ("opportunity", o.id),
            o.label,
            owner.name,
            Severity.MEDIUM if o.priority is not None and o.priority <= 2 else Severity.LOW,
            int(max(figures)) if figures else None,
            owner_reason=owner.reason,
            reach_source="map" if evidence is None else "log",
            status=o.status,
            source="opportunity",
            details=[f"at {', '.join(names.tp(t) for t in o.touchpoints)}"]
            + ([o.description] if o.description else []),
        )
        out.append(action)
    return out


def first_actions(
    plans: Sequence[tuple[str, Sequence[Action]]], n: int = 3
) -> list[tuple[str, Action]]:
    """The ``n`` actions to take first across the plans of several journeys, each with its
    journey's name: ranked as one plan is (severity, then reach, then the rules' order),
    each plan's own order breaking ties.

    Examples
    --------
    >>> import journeygraph
    >>> m = journeygraph.load("examples/b2b-saas.yaml")
    >>> plan = action_plan(m, journeygraph.audit(m))
    >>> [a.priority for _, a in first_actions([(m.journey.label, plan)])]
    [1, 2, 3]
    """
    # A plan's priorities follow its ranks (`action_plan`): only its first ``n`` can be among
    # the first ``n`` of all, and ranking them alone spares ranking thousands of actions
    # (each rank a pass over the action's findings) to take three.
    found = [(name, a) for name, plan in plans for a in heapq.nsmallest(n, plan, key=_priority)]
    found.sort(key=lambda ja: (ja[1].rank[:4], ja[1].priority))
    return found[:n]


def _priority(action: Action) -> int:
    return action.priority


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
        key=lambda finding: (-finding.severity.rank, -int(finding.details.get("customers", 0))),
    )[:count]
