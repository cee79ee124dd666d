"""Running the rules over a map: configuration, waivers and source locations."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import networkx as nx

from journeygraph._gc import paused_gc
from journeygraph.exceptions import Location
from journeygraph.io.source import COLUMNS, KeyPath
from journeygraph.model import (
    AuditConfig,
    JobFunction,
    JourneyMap,
    Severity,
    Stage,
    Touchpoint,
    Waiver,
)
from journeygraph.rules import AuditRule, Finding, Registry, RuleContext, Subject, registry
from journeygraph.rules.base import LocationDraft, make_finding, make_location
from journeygraph.rules.registry import RuleT

if TYPE_CHECKING:
    from journeygraph.algorithms.facts import GraphFacts

__all__ = ["AuditResult", "audit", "audit_all"]

# The setters of a finding's slots: `assemble` completes each new finding in place.
_set_severity, _set_location, _set_waiver = (
    getattr(Finding, name).__set__ for name in ("severity", "location", "waiver")
)


@dataclass
class AuditResult:
    """The outcome of auditing one journey.

    Attributes
    ----------
    journey, name, file
        The journey id, its display name, and the map file it was read from.
    findings
        Findings that count, most severe first.
    waived
        Findings matched by a waiver, each with its ``waiver`` reason.
    unused_waivers
        Waivers that matched no finding (stale, or misspelt entities).
    touchpoints
        How many touchpoints the journey has.
    baselined
        How many findings were left out because a baseline already holds them.
    """

    journey: str
    name: str
    file: str | None
    findings: list[Finding]
    waived: list[Finding] = field(default_factory=list)
    unused_waivers: list[Waiver] = field(default_factory=list)
    touchpoints: int = 0
    baselined: int = 0

    def summary(self) -> dict[str, int]:
        """Counts of the remaining findings per severity, most severe first.

        Examples
        --------
        >>> import journeygraph
        >>> result = journeygraph.audit(journeygraph.load("examples/b2b-saas.yaml"))
        >>> list(result.summary())
        ['high', 'medium', 'low', 'info']
        """
        # Counted by the severities themselves: a large audit's findings each read no `.value`.
        counted = Counter(finding.severity for finding in self.findings)
        return {s.value: counted[s] for s in sorted(Severity, reverse=True)}

    def fails(self, threshold: Severity) -> bool:
        """Whether a remaining finding is at or above ``threshold``."""
        return any(finding.severity >= threshold for finding in self.findings)

    def _repr_html_(self) -> str:
        """The findings as an HTML table, for notebooks; every text escaped."""
        from html import escape  # notebooks only: the command line need not load it

        rows = "".join(
            f"<tr><td>{finding.severity.value}</td><td>{escape(finding.rule)}</td>"
            f"<td>{escape(' → '.join(finding.entities))}</td><td>{escape(finding.message)}</td>"
            f"<td>{finding.location.line if finding.location else ''}</td></tr>"
            for finding in self.findings
        )
        counts = ", ".join(f"{n} {s}" for s, n in self.summary().items() if n) or "no findings"
        return (
            f"<p><b>{escape(self.name)}</b>: {counts}"
            f"{f' ({len(self.waived)} waived)' if self.waived else ''}</p>"
            "<table><tr><th>Severity</th><th>Rule</th><th>Entities</th><th>Finding</th>"
            f"<th>Line</th></tr>{rows}</table>"
        )

    def to_dict(self, *, findings: bool = True) -> dict[str, Any]:
        """JSON-ready data: ``journey``, ``findings``, ``waived``, ``summary`` and more.

        ``findings=False`` leaves out the two lists of findings.
        """
        data: dict[str, Any] = {"journey": self.journey, "name": self.name, "file": self.file}
        if findings:
            data["findings"] = [finding.to_dict() for finding in self.findings]
            data["waived"] = [finding.to_dict() for finding in self.waived]
        data["unused_waivers"] = [_waiver_dict(w) for w in self.unused_waivers]
        data["summary"] = self.summary()
        return data


def audit(
    m: JourneyMap,
    *,
    config: AuditConfig | None = None,
    rules: Registry[AuditRule] | None = None,
    graph: nx.MultiDiGraph | None = None,
    facts: GraphFacts | None = None,
) -> AuditResult:
    """Audit one journey map.

    Parameters
    ----------
    m
        The map.
    config
        Laid over the map's own ``audit:`` section (it wins on conflicts).
    rules
        The rules to run; the shipped registry by default.
    graph
        ``m.to_networkx()``, when the caller has built it already.
    facts
        The derived views of ``graph`` the caller reads too
        (`journeygraph.algorithms.facts.GraphFacts`, a report's): the rules read
        its RACI sets and transition graph rather than computing their own.

    Returns
    -------
    AuditResult

    Examples
    --------
    >>> import journeygraph
    >>> result = journeygraph.audit(journeygraph.load("examples/b2b-saas.yaml"))
    >>> result.journey
    'b2b-saas'
    >>> all(finding.location is not None for finding in result.findings)
    True
    """
    with paused_gc():
        G = m.to_networkx() if graph is None else graph
        return _audit(m, G, config, registry if rules is None else rules, facts)


def audit_all(
    journeys: list[JourneyMap],
    *,
    config: AuditConfig | None = None,
    rules: Registry[AuditRule] | None = None,
) -> list[AuditResult]:
    """`audit` of each map, for a command that needs only the results afterwards.

    A single map is taken out of ``journeys`` (left empty) and let go once its
    graph and the places of its subjects are built, before the rules run: the
    map and its graph, the two largest things held, are not both alive while
    the findings are made (at 100,000 touchpoints the map holds about 230 MiB).
    Several maps are audited in turn and left in the list.

    Examples
    --------
    >>> import journeygraph
    >>> maps = [journeygraph.load("examples/b2b-saas.yaml")]
    >>> [result.journey for result in audit_all(maps)], maps
    (['b2b-saas'], [])
    """
    chosen = registry if rules is None else rules
    if len(journeys) != 1:
        return [audit(m, config=config, rules=chosen) for m in journeys]
    with paused_gc():
        m = journeys.pop()
        G = m.to_networkx()
        settings = m.audit if config is None else m.audit.merged(config)
        facts, locate = _facts(m), _Locator(m)
        locate.let_go()
        del m  # the last reference: the map is freed here, its graph and places kept
        ctx = RuleContext(G, thresholds=settings.thresholds)
        del G
        # Every rule's findings first, then the graph let go (about 160 MiB at 100,000
        # touchpoints), so that locating and sorting them reuse its memory.
        disabled = set(settings.disable)
        found = {rule.id: list(rule.check(ctx)) for rule in chosen if rule.id not in disabled}
        del ctx
        return [_assembled(facts, locate, settings, chosen, lambda rule: found.pop(rule.id))]


def _audit(
    m: JourneyMap,
    G: nx.MultiDiGraph,
    config: AuditConfig | None,
    rules: Registry[AuditRule],
    facts: GraphFacts | None = None,
) -> AuditResult:
    settings = m.audit if config is None else m.audit.merged(config)
    ctx = RuleContext(G, thresholds=settings.thresholds, facts=facts)
    return assemble(m, settings, rules, lambda rule: rule.check(ctx))


@dataclass(frozen=True)
class _Facts:
    """What an audit result says of its map besides the findings."""

    journey: str
    name: str
    file: str | None
    touchpoints: int


def _facts(m: JourneyMap) -> _Facts:
    return _Facts(
        m.journey.id, m.journey.label, m.source.file if m.source else None, len(m.touchpoints)
    )


def assemble(
    m: JourneyMap,
    settings: AuditConfig,
    rules: Registry[RuleT],
    check: Callable[[RuleT], Iterable[Finding]],
) -> AuditResult:
    """The audit result of ``m`` from each rule's raw findings, whatever engine found them.

    Applies the settings (disabled rules, severities, waivers), locates each
    finding in the map's source and sorts them: most severe first, then by
    rule, then in map order. ``check`` gives the findings of one rule; the
    in-process audit calls `Rule.check`, the Neo4j audit runs the rule's query.
    A finding ``check`` gives without a location is new, just made by the rule:
    it is completed in place (its location, severity and waiver set), not copied.
    """
    return _assembled(_facts(m), _Locator(m), settings, rules, check)


def _assembled(
    facts: _Facts,
    locate: _Locator,
    settings: AuditConfig,
    rules: Registry[RuleT],
    check: Callable[[RuleT], Iterable[Finding]],
) -> AuditResult:
    """`assemble` of a map known by its facts and the places of its subjects."""
    waivers = {(w.rule, tuple(w.entities)): w for w in settings.waivers}
    used: set[tuple[str, tuple[str, ...]]] = set()
    findings: tuple[list[int], list[Finding]] = ([], [])
    waived: tuple[list[int], list[Finding]] = ([], [])
    disabled = set(settings.disable)
    order = {rule_id: i for i, rule_id in enumerate(rules.ids())}
    # Most severe first, then by rule, then in map order rather than by line, so
    # that a map read from a file, a workbook or Neo4j lists its findings alike:
    # the three in one number, `_Locator.span` positions to each rule's rank.
    span, where = locate.span, locate.locator()
    places = (len(order) + 1) * span
    # The usual finding (new, of its rule, not waived) takes the shortest way: a large
    # audit's loop, run once a finding.
    add_key, add_finding = findings[0].append, findings[1].append
    for rule in rules:
        rule_id = rule.id
        if rule_id in disabled:
            continue
        severity = settings.severity.get(rule_id)
        first = {s: -s.rank * places + order.get(rule_id, len(order)) * span for s in Severity}
        for finding in check(rule):
            location, position = where(finding.subject)
            if finding.location is not None or finding.waiver is not None:
                finding = _copy(finding)  # not new: the copy is completed, the finding kept
            _set_location(finding, location)
            if severity is not None:
                _set_severity(finding, severity)
            if finding.rule is rule_id or finding.rule == rule_id:
                key = first[finding.severity] + position
            else:
                key = _key(finding, order, places, span) + position
            if waivers:
                waiver = waivers.get((finding.rule, finding.entities))
                if waiver is not None:
                    _set_waiver(finding, waiver.reason)
                    used.add((finding.rule, finding.entities))
                    waived[0].append(key)
                    waived[1].append(finding)
                    continue
            add_key(key)
            add_finding(finding)
    return AuditResult(
        journey=facts.journey,
        name=facts.name,
        file=facts.file,
        findings=_sorted(*findings),
        waived=_sorted(*waived),
        # A waiver of another registry's rule (a conformance check, say) is that
        # registry's to match.
        unused_waivers=[w for key, w in waivers.items() if key not in used and w.rule in rules],
        touchpoints=facts.touchpoints,
    )


def _copy(finding: Finding) -> Finding:
    """A new finding with the fields of ``finding`` but no location or waiver."""
    f = finding
    return make_finding(f.rule, f.severity, f.entities, f.message, f.subject, None, f.details, None)


def _key(finding: Finding, order: dict[str, int], places: int, span: int) -> int:
    """The sort key of a finding of another rule than the one that gave it, but its position."""
    return -finding.severity.rank * places + order.get(finding.rule, len(order)) * span


def _sorted(keys: list[int], findings: list[Finding]) -> list[Finding]:
    """``findings`` in the order of their ``keys``, then of their entities."""
    ranks = sorted(range(len(keys)), key=keys.__getitem__)
    if len(set(keys)) < len(keys):
        # Findings of one rule at one place: by their entities, the rest kept as it is.
        start = 0
        for end in range(1, len(ranks) + 1):
            if end == len(ranks) or keys[ranks[end]] != keys[ranks[start]]:
                if end - start > 1:
                    ranks[start:end] = sorted(ranks[start:end], key=lambda i: findings[i].entities)
                start = end
    return [findings[i] for i in ranks]


_SECTIONS = ("stages", "functions", "touchpoints", "handoffs")
_SECTION_OF = {
    "stage": "stages",
    "function": "functions",
    "touchpoint": "touchpoints",
    "handoff": "handoffs",
}
_TOUCHPOINTS = _SECTIONS.index("touchpoints")


class _Locator:
    """Resolves a finding's subject to the line where the map defines it.

    Each kind of subject is indexed on first use: most audits locate only a
    few kinds. A transition is found through its touchpoint, then in that
    touchpoint's few transitions, rather than through an index of every
    transition of the map.

    A subject's place in the map is one number, in map order: by section
    (stages, functions, touchpoints, handoffs, then subjects the map does not
    have), then its index there, then, for a transition, after its touchpoint,
    its index in that touchpoint's ``next``. Every place is below `span`.
    """

    def __init__(self, m: JourneyMap) -> None:
        self._map: JourneyMap | None = m
        self._source = m.source
        self._values = {} if m.source is None else m.source.values
        self._indexes: dict[str, dict[Any, int]] = {}
        """Per kind of subject, its key (an id, or a handoff's two) to its index in the map."""
        self._touchpoints: dict[str, int] | None = None
        self._targets: list[tuple[str, ...]] = []
        """Each touchpoint's ``next`` targets, in order (with `_touchpoints`)."""
        self._items = max(len(m.stages), len(m.functions), len(m.touchpoints), len(m.handoffs), 1)
        self._steps = 1 + max((len(t.next) for t in m.touchpoints), default=0)
        self._nowhere: tuple[KeyPath, int] = ((), self._place(len(_SECTIONS), 0))
        """A subject the map does not have: no path, placed after every section."""
        self.span = self._nowhere[1] + 1

    def _place(self, section: int, index: int, step: int = -1) -> int:
        return (section * self._items + index) * self._steps + step + 1

    def let_go(self) -> None:
        """Index every kind of subject now and keep no reference to the map."""
        for kind in ("stage", "function", "touchpoint", "handoff"):
            self._indexes.setdefault(kind, self._index(kind))
        self._index_touchpoints()
        self._map = None

    def _index_touchpoints(self) -> dict[str, int]:
        if self._touchpoints is None:
            assert self._map is not None
            touchpoints = self._map.touchpoints
            # The last of a repeated id, as an index of every transition would hold.
            self._touchpoints = {t.id: i for i, t in enumerate(touchpoints)}
            self._targets = [tuple([step.to for step in t.next]) for t in touchpoints]
        return self._touchpoints

    def location(self, path: KeyPath) -> Location | None:
        """The location of ``path`` in the map's source, if it was read from one."""
        # A subject the map does not have (seen only in an event log) has no line.
        if not path or self._source is None:
            return None
        position = self._values.get(path)
        if position is None:  # not recorded: the nearest ancestor, or a parse of every position
            return self._source.locate(path)
        # `SourceMap.locate` of a recorded path, without its search: one a finding.
        line, column = position
        return make_location(
            self._source.file, line + 1, column + 1, self._source.sheets.get(path, "")
        )

    def where(self, subject: Subject) -> tuple[Location | None, int]:
        """`location` of `path`, and the place: at once, for the audit's inner loop.

        A map parsed for auditing keeps its subjects' positions packed
        (`ListedPositions`): a subject's location is read there by its indexes,
        without the path a source's look-up takes.
        """
        source = self._source
        if source is None or source.sheets or source.listed is None:
            path, place = self.path(subject)
            return self.location(path), place
        listed = source.listed
        kind, key = subject
        if kind == "transition":
            # The usual transition (its touchpoint's last to that target, its position
            # kept) read here at once: one a finding of a large audit's commonest rule.
            touchpoints = self._touchpoints or self._index_touchpoints()
            i = touchpoints.get(key[0]) if len(key) == 2 else None
            starts, counts, positions = listed.transitions()
            if i is not None and i < len(counts):
                targets, target = self._targets[i], key[1]
                j = len(targets) - 1
                while j >= 0 and targets[j] != target:
                    j -= 1
                if 0 <= j < counts[i]:
                    line, column = divmod(positions[starts[i] + j], COLUMNS)
                    place = (_TOUCHPOINTS * self._items + i) * self._steps + j + 1
                    return make_location(source.file, line + 1, column + 1, ""), place
            i, j, place = self._transition_place(key)
            packed = None if i < 0 else listed.transition(i, j)
            path = () if packed is not None or i < 0 else ("touchpoints", i, "next", j)
        else:
            path, place = self.path(subject)
            packed = None if not path else listed.item(*path)  # type: ignore[arg-type]
        if packed is None:  # not kept, or a subject the map does not have
            return self.location(path), place
        line, column = divmod(packed, COLUMNS)
        return make_location(source.file, line + 1, column + 1, ""), place

    def locator(self) -> Callable[[Subject], tuple[Location | None, int]]:
        """`where`, with the usual look-ups of a transition and of a single entity made
        here once (for the audit's inner loop: a large audit's commonest findings are
        transitions, then touchpoints)."""
        source = self._source
        if source is None or source.sheets or source.listed is None:
            return self.where
        touchpoint_index = (self._touchpoints or self._index_touchpoints()).get
        item, items = source.listed.item, self._items
        # Per kind of entity: its index's look-up, its section and the section's number.
        entities = {
            kind: (
                (self._indexes[kind] if kind in self._indexes else self._indexed(kind)).get,
                _SECTION_OF[kind],
                _SECTIONS.index(_SECTION_OF[kind]),
            )
            for kind in ("stage", "function", "touchpoint")
        }
        starts, counts, positions = source.listed.transitions()
        all_targets, file, where = self._targets, source.file, self.where
        known, first, steps = len(counts), _TOUCHPOINTS * self._items * self._steps, self._steps
        new, draft = object.__new__, LocationDraft

        def located(subject: Subject) -> tuple[Location | None, int]:
            kind, key = subject
            # `where` of a transition its touchpoint's last entry to that target names,
            # its position kept: the same lines spelt out without a call.
            if kind == "transition" and len(key) == 2:
                i = touchpoint_index(key[0])
                if i is not None and i < known:
                    targets, target = all_targets[i], key[1]
                    j = len(targets) - 1
                    while j >= 0 and targets[j] != target:
                        j -= 1
                    if 0 <= j < counts[i]:
                        line, column = divmod(positions[starts[i] + j], COLUMNS)
                        location = new(draft)  # `make_location`, spelt out
                        location.file = file
                        location.line = line + 1
                        location.column = column + 1
                        location.sheet = ""
                        location.__class__ = Location  # type: ignore[assignment]
                        return location, first + i * steps + j + 1  # type: ignore[return-value]
            elif len(key) == 1 and kind in entities:
                # `where` of an entity whose position is kept: `path`, `listed.item`.
                index, section, number = entities[kind]
                i = index(key[0])
                if i is not None:
                    packed = item(section, i)
                    if packed is not None:
                        line, column = divmod(packed, COLUMNS)
                        place = (number * items + i) * steps  # `_place(number, i)`
                        return make_location(file, line + 1, column + 1, ""), place
            return where(subject)

        return located

    def _indexed(self, kind: str) -> dict[Any, int]:
        """`_index` of ``kind``, kept."""
        index = self._indexes[kind] = self._index(kind)
        return index

    def path(self, subject: Subject) -> tuple[KeyPath, int]:
        """Where the subject is defined in the map (``()`` if the map does not have it),
        and its place there."""
        if subject.kind == "transition":
            return self._transition(subject.key)
        kind, key = subject
        index = self._indexes.get(kind)
        if index is None:
            index = self._indexes[kind] = self._index(kind)
        i = index.get(key) if kind == "handoff" else index.get(key[0]) if len(key) == 1 else None
        if i is None:
            return self._nowhere
        section = _SECTION_OF[kind]
        return (section, i), self._place(_SECTIONS.index(section), i)

    def _transition(self, key: tuple[str, ...]) -> tuple[KeyPath, int]:
        i, j, place = self._transition_place(key)
        return (() if i < 0 else ("touchpoints", i, "next", j)), place

    def _transition_place(self, key: tuple[str, ...]) -> tuple[int, int, int]:
        """The indexes of a transition's touchpoint and of its entry in that touchpoint's
        ``next`` (``-1`` when the map does not have it), and its place."""
        touchpoints = self._touchpoints or self._index_touchpoints()
        if len(key) == 2:
            source, target = key
            i = touchpoints.get(source)
            if i is not None:
                targets = self._targets[i]
                for j in range(len(targets) - 1, -1, -1):
                    if targets[j] == target:  # `_place(_TOUCHPOINTS, i, j)`, one a finding
                        return i, j, (_TOUCHPOINTS * self._items + i) * self._steps + j + 1
        return -1, -1, self._nowhere[1]

    def _index(self, kind: str) -> dict[Any, int]:
        """The index of each subject of ``kind`` in its section, the first of a repeated one."""
        m = self._map
        assert m is not None, "every kind is indexed before the map is let go"
        if kind == "handoff":  # the last of a repeated handoff, as before
            return {(h.from_, h.to): k for k, h in enumerate(m.handoffs)}
        sections: dict[str, list[Stage] | list[JobFunction] | list[Touchpoint]] = {
            "stage": m.stages,
            "function": m.functions,
            "touchpoint": m.touchpoints,
        }
        ids = [item.id for item in sections[kind]]
        # Built from the last to the first, so that the first of a repeated id wins.
        return dict(zip(reversed(ids), range(len(ids) - 1, -1, -1), strict=True))


def _waiver_dict(w: Waiver) -> dict[str, Any]:
    where = w.location
    return {
        "rule": w.rule,
        "entities": list(w.entities),
        "reason": w.reason,
        "location": None
        if where is None
        else {"file": where.file, "line": where.line, "column": where.column},
    }
