"""The engine against brute-force versions of the rule definitions, on random maps.

The brute-force checks read the model directly (not the graph, not the
algorithms package) and follow the definitions word for word, using quadratic
reachability instead of strongly connected components.
"""

from __future__ import annotations

import json
import re
from collections import deque
from fractions import Fraction
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from journeygraph import AuditConfig, JourneyMap, audit, loads
from journeygraph.model import Severity

Key = tuple[str, tuple[str, ...], str]

# Characters a YAML stream may not hold raw (they must be escaped in quotes).
_RESERVED = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")

NAMES = st.text(
    alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="\x00"),
    max_size=12,
)


@st.composite
def journey_maps(draw: Any) -> dict[str, Any]:
    n_stages = draw(st.integers(1, 4))
    stages = [
        {"id": f"s{i}", **({"metrics": ["m"]} if draw(st.booleans()) else {})}
        for i in range(n_stages)
    ]
    departments = [{"id": f"d{i}"} for i in range(draw(st.integers(0, 3)))]
    functions = []
    for i in range(draw(st.integers(0, 6))):
        f: dict[str, Any] = {"id": f"f{i}"}
        if departments and draw(st.booleans()):
            f["department"] = draw(st.sampled_from(departments))["id"]
        if draw(st.booleans()):
            f["fte"] = draw(st.sampled_from([0.5, 1, 2]))
        if draw(st.integers(0, 3)) == 0:
            f["log_performers"] = [f"Agent {i}", f"Team {i}"]
        functions.append(f)
    personas = [{"id": f"p{i}"} for i in range(draw(st.integers(0, 2)))]
    fids = [f["id"] for f in functions]
    n_tp = draw(st.integers(0, 10))
    tids = [f"t{i}" for i in range(n_tp)]
    touchpoints = []
    for t in tids:
        owners = {
            role: draw(st.lists(st.sampled_from(fids), unique=True, max_size=2)) if fids else []
            for role in "RACI"
        }
        nxt = draw(st.lists(st.sampled_from(tids), unique=True, max_size=3))
        touchpoint: dict[str, Any] = {
            "id": t,
            "stage": draw(st.sampled_from(stages))["id"],
            "entry": draw(st.integers(0, 9)) == 0,
            "exit": draw(st.booleans()),
            "owners": owners,
            "metrics": ["k"] if draw(st.integers(0, 3)) == 0 else [],
            "next": nxt,
        }
        if draw(st.integers(0, 3)) == 0:
            touchpoint["log_names"] = [f"{t.upper()} done"]
            touchpoint["evidence"] = [f"Letter about {t}"]
        if draw(st.booleans()):
            # Volumes and handle times around the capacity of one person.
            touchpoint["volume"] = draw(st.sampled_from([0, 100, 288, 576, 1000]))
            touchpoint["handle_minutes"] = draw(st.sampled_from([2.5, 5, 10, 20]))
        felt = draw(st.lists(st.sampled_from([None, *(p["id"] for p in personas)]), unique=True))
        touchpoint["experience"] = [
            {
                **({"persona": who} if who else {}),
                "pain_points": draw(st.lists(st.sampled_from(["slow", "lost"]), max_size=2)),
            }
            for who in felt
        ]
        touchpoints.append(touchpoint)
    # Some transitions that close a loop are marked as intended cycles.
    plain = [(t["id"], n) for t in touchpoints for n in t["next"]]
    for tp in touchpoints:
        tp["next"] = [
            {"to": n, "cycle": draw(st.sampled_from(["retention", "upsell"]))}
            if tp["id"] in _reach_by(n, plain) and draw(st.integers(0, 4)) == 0
            else n
            for n in tp["next"]
        ]
    pairs = [(a, b) for a in fids for b in fids if a != b]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=4)) if pairs else []
    transitions = plain
    handoffs = []
    for a, b in chosen:
        h: dict[str, Any] = {"from": a, "to": b}
        if draw(st.booleans()):
            h["sla"] = "4h"
        if transitions and draw(st.booleans()):
            h["at"] = [list(x) for x in draw(st.lists(st.sampled_from(transitions), unique=True))]
        handoffs.append(h)
    opportunities = [
        {"id": f"o{i}", "touchpoints": draw(st.lists(st.sampled_from(tids), unique=True))}
        for i in range(draw(st.integers(0, 2)) if tids else 0)
    ]
    return {
        "version": 1,
        "journey": {"id": "random"},
        "stages": stages,
        "departments": departments,
        "functions": functions,
        "touchpoints": touchpoints,
        "handoffs": handoffs,
        "personas": personas,
        "opportunities": opportunities,
        "audit": {
            "thresholds": {
                "overload_min": draw(st.integers(1, 4)),
                "overload_share": draw(st.sampled_from([0.1, 0.2, 0.3, 0.5])),
                "concentration_min": draw(st.integers(1, 4)),
                "concentration_share": draw(st.sampled_from([0.1, 0.25, 0.5])),
                "capacity_share": draw(st.sampled_from([0.5, 0.8, 1.0])),
            }
        },
    }


def brute_force(m: JourneyMap) -> set[Key]:
    """Every finding, by the definitions in the foundation issue."""
    out: set[Key] = set()
    R = {t.id: set(t.owners.responsible) for t in m.touchpoints}
    A = {t.id: set(t.owners.accountable) for t in m.touchpoints}
    stage = {t.id: t.stage for t in m.touchpoints}
    edges = [(t.id, s.to) for t in m.touchpoints for s in t.next]
    declared = {(h.from_, h.to) for h in m.handoffs}
    # Each declared handoff covers the transitions in its `at`, or all of them.
    scope = {(h.from_, h.to): set(h.at) if h.at else None for h in m.handoffs}

    def covers(f: str, g: str, a: str, b: str) -> bool:
        return (f, g) in scope and (scope[(f, g)] is None or (a, b) in scope[(f, g)])  # type: ignore[operator]

    dept = {f.id: f.department or ("own", f.id) for f in m.functions}
    first, last = m.stages[0].id, m.stages[-1].id

    for t in m.touchpoints:
        resp, acc = R[t.id], A[t.id]
        if not resp and not acc:
            out.add(("unowned-touchpoint", (t.id,), "high"))
        if not resp and acc:
            out.add(("missing-responsible", (t.id,), "medium"))
        if resp and not acc:
            out.add(("missing-accountable", (t.id,), "medium"))
        if len(acc) > 1:
            out.add(("multiple-accountable", (t.id,), "medium"))
        if not t.next and not t.exit:
            out.add(("dead-end", (t.id,), "medium"))

    for a, b in edges:
        changes_hands = a != b and R[a] and R[b] and not (R[a] & R[b])
        if changes_hands and not any(covers(f, g, a, b) for f in R[a] for g in R[b]):
            shared = {dept[f] for f in R[a]} & {dept[g] for g in R[b]}
            out.add(("handoff-gap", (a, b), "medium" if shared else "high"))

    reaches = {t: _reach_by(t, edges) for t in R}
    position = {s.id: i for i, s in enumerate(m.stages)}
    # Transitions marked as intended cycles are no rework: the loops are those
    # of the other transitions, and each cycle's own loops (the other
    # transitions with its own) are intended, unless customers go round anyway.
    marked = {(t.id, s.to): s.cycle for t in m.touchpoints for s in t.next if s.cycle}
    rework = [e for e in edges if e not in marked]
    rework_loops = _rework_loop_keys(rework, list(R), stage, position, first, last)
    out |= rework_loops
    for name in set(marked.values()):
        own = [e for e, cycle in marked.items() if cycle == name]
        for comp in _loops_of(rework + own, list(R)):
            loop = tuple(sorted(comp))
            if any(u in comp and v in comp for u, v in own) and not any(
                k[1] == loop for k in rework_loops
            ):
                out.add(("loop", loop, "info/intended"))
    # A loop only several cycles close together, where no other loop lies, is intended.
    found = [set(k[1]) for k in out if k[0] == "loop"]
    for comp in _loops_of(rework + list(marked), list(R)):
        if any(u in comp and v in comp for u, v in marked) and not any(
            loop <= comp for loop in found
        ):
            out.add(("loop", tuple(sorted(comp)), "info/intended"))

    entries = [t.id for t in m.touchpoints if t.entry] or [
        t.id for t in m.touchpoints if t.stage == first
    ]
    reachable = set().union(*(reaches[e] for e in entries)) if entries else set()
    for t in m.touchpoints:
        if t.id not in reachable:
            out.add(("unreachable-touchpoint", (t.id,), "medium"))

    for st_ in m.stages:
        members = [t for t in m.touchpoints if t.stage == st_.id]
        if not members:
            out.add(("empty-stage", (st_.id,), "medium"))
        if len(members) >= 2 and len(set().union(*(R[t.id] for t in members))) == 1:
            out.add(("single-owner-stage", (st_.id,), "low"))
        if members and not st_.metrics and not any(t.metrics for t in members):
            out.add(("missing-metric", (st_.id,), "low"))

    involved = {f for t in m.touchpoints for role in "RACI" for f in t.owners.role(role)}  # type: ignore[arg-type]
    involved |= {f for pair in declared for f in pair}
    limits = m.audit.thresholds
    for f in m.functions:
        if f.id not in involved:
            out.add(("idle-function", (f.id,), "low"))
        count = sum(f.id in R[t] for t in R)
        if count >= limits.overload_min and count > limits.overload_share * len(R):
            out.add(("overloaded-function", (f.id,), "medium"))

    for giver, taker in declared:
        if not any(
            giver in R[a]
            and taker in R[b]
            and a != b
            and not (R[a] & R[b])
            and covers(giver, taker, a, b)
            for a, b in edges
        ):
            out.add(("unused-handoff", (giver, taker), "low"))
    for h in m.handoffs:
        if h.sla is None:
            out.add(("handoff-without-sla", (h.from_, h.to), "low"))
    for t in m.touchpoints:
        if R[t.id] and A[t.id] and not {dept[f] for f in R[t.id]} & {dept[g] for g in A[t.id]}:
            out.add(("split-accountability", (t.id,), "low"))
    improved = {t for o in m.opportunities for t in o.touchpoints}
    for t in m.touchpoints:
        if t.id not in improved and any(e.pain_points for e in t.experience):
            out.add(("unaddressed-pain-point", (t.id,), "medium"))
    total = len(m.touchpoints)
    for f in m.functions:
        sole = sum(A[t] == {f.id} for t in A)
        share = Fraction(str(limits.concentration_share))
        if sole >= limits.concentration_min and sole > share * total:
            out.add(("accountability-concentration", (f.id,), "medium"))
        measured = [
            t
            for t in m.touchpoints
            if f.id in R[t.id] and t.volume is not None and t.handle_minutes is not None
        ]
        work = sum(
            (
                Fraction(str(t.volume)) * Fraction(str(t.handle_minutes)) / len(R[t.id])
                for t in measured
            ),
            Fraction(0),
        )
        capacity = Fraction(str(limits.capacity_share)) * Fraction(str(f.fte or 0)) * 7200
        if f.fte is not None and measured and work > capacity:
            out.add(("capacity-overload", (f.id,), "high"))
    return out


def _loops_of(edges: list[tuple[str, str]], nodes: list[str]) -> set[frozenset[str]]:
    """Sets of touchpoints each reaching the other by ``edges``, that hold a cycle."""
    reaches = {t: _reach_by(t, edges) for t in nodes}
    components = {frozenset(y for y in nodes if y in reaches[x] and x in reaches[y]) for x in nodes}
    return {c for c in components if len(c) > 1 or any(u == v and u in c for u, v in edges)}


def _rework_loop_keys(
    edges: list[tuple[str, str]],
    nodes: list[str],
    stage: dict[str, str],
    position: dict[str, int],
    first: str,
    last: str,
) -> set[Key]:
    out: set[Key] = set()
    for comp in _loops_of(edges, nodes):
        inner = [(u, v) for u, v in edges if u in comp and v in comp]
        if len({stage[x] for x in comp}) == 1:
            out.add(("loop", tuple(sorted(comp)), "low/intra-stage"))
            continue
        back = [(u, v) for u, v in inner if position[stage[v]] < position[stage[u]]]
        regression = any(not (stage[u] == last and stage[v] == first) for u, v in back)
        kind = "medium/regression" if regression else "info/flywheel"
        out.add(("loop", tuple(sorted(comp)), kind))
        # Each stage's own parts: mutual reachability within the stage.
        for part_stage in {stage[x] for x in comp}:
            same = {x for x in comp if stage[x] == part_stage}
            within = [(u, v) for u, v in inner if u in same and v in same]
            for part in _loops_of(within, sorted(same)):
                out.add(("loop", tuple(sorted(part)), "low/intra-stage"))
    return out


def _reach_by(x: str, edges: list[tuple[str, str]]) -> set[str]:
    seen, queue = {x}, deque([x])
    while queue:
        here = queue.popleft()
        for u, v in edges:
            if u == here and v not in seen:
                seen.add(v)
                queue.append(v)
    return seen


def engine(m: JourneyMap) -> set[Key]:
    keys: set[Key] = set()
    for finding in audit(m).findings:
        severity = finding.severity.value
        if finding.rule == "loop":
            severity = f"{severity}/{finding.details['kind']}"
        keys.add((finding.rule, finding.entities, severity))
    return keys


@settings(max_examples=200, deadline=None)
@given(journey_maps())
def test_engine_matches_the_definitions(data: dict[str, Any]) -> None:
    m = JourneyMap.model_validate(data)
    assert engine(m) == brute_force(m)


@settings(max_examples=200, deadline=None)
@given(journey_maps())
def test_loop_cycles_are_real_cycles_inside_their_loop(data: dict[str, Any]) -> None:
    m = JourneyMap.model_validate(data)
    edges = {(t.id, s.to) for t in m.touchpoints for s in t.next}
    marked = {(t.id, s.to): s.cycle for t in m.touchpoints for s in t.next if s.cycle}
    order = {s.id: i for i, s in enumerate(m.stages)}
    stage = {t.id: t.stage for t in m.touchpoints}
    ends = (m.stages[-1].id, m.stages[0].id)
    for f in audit(m).findings:
        if f.rule != "loop":
            continue
        cycle = f.details["cycle"]
        assert set(cycle) <= set(f.entities)
        steps = list(zip(cycle, [*cycle[1:], cycle[0]], strict=True))
        assert all(step in edges for step in steps)
        assert len(set(cycle)) == len(cycle)
        first_step = steps[0]
        if f.details["kind"] == "intended":
            # Closed by a marked transition, named in the finding.
            closing = [(e["from"], e["to"], e["cycle"]) for e in f.details["intended"]]
            assert (*first_step, marked[first_step]) in closing
            assert all(marked.get((a, b)) == name for a, b, name in closing)
            assert "back_edges" not in f.details
            continue
        # A loop customers go round without the marked transitions.
        assert not any(step in marked for step in steps)
        back = [
            (a, b, "flywheel" if (stage[a], stage[b]) == ends else "regression")
            for a, b in sorted(edges - set(marked))
            if a in f.entities and b in f.entities and order[stage[a]] > order[stage[b]]
        ]
        if f.details["kind"] == "intra-stage":
            assert len({stage[t] for t in f.entities}) == 1
            assert "back_edges" not in f.details
            continue
        listed = [(e["from"], e["to"], e["kind"]) for e in f.details["back_edges"]]
        assert listed == sorted(back, key=lambda e: (e[2] != "regression", e))
        assert (*first_step, f.details["kind"]) in back


@settings(max_examples=100, deadline=None)
@given(journey_maps(), NAMES, NAMES, NAMES)
def test_any_text_survives_yaml(data: dict[str, Any], a: str, b: str, c: str) -> None:
    """Names with quotes, <, {, newlines and any script load back exactly."""
    data["journey"]["name"] = a
    data["stages"][0]["name"] = b
    data["stages"][0]["id"] = c if c.strip() else "s0"
    for t in data["touchpoints"]:
        if t["stage"] == "s0":
            t["stage"] = data["stages"][0]["id"]
    first = data["stages"][0]["id"]
    data["stages"] = [s for i, s in enumerate(data["stages"]) if i == 0 or s["id"] != first]
    # JSON is YAML 1.2; PyYAML's dumper writes YAML 1.1 (it leaves `0E0` unquoted).
    text = _RESERVED.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(data, ensure_ascii=False))
    assert loads(text, "random.yaml") == JourneyMap.model_validate(data)


def test_severity_config_applies_to_every_finding_of_a_rule() -> None:
    m = JourneyMap.model_validate(
        {
            "version": 1,
            "journey": {"id": "j"},
            "stages": [{"id": "s"}],
            "touchpoints": [{"id": "a", "stage": "s"}, {"id": "b", "stage": "s"}],
        }
    )
    result = audit(m, config=AuditConfig(severity={"dead-end": Severity.HIGH}))
    assert {f.severity for f in result.findings if f.rule == "dead-end"} == {Severity.HIGH}
