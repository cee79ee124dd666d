"""XES input: the Helpdesk log against an independent reading, and bad XES files."""

from __future__ import annotations

import functools
import gzip
import itertools
import json
import os
import re
import statistics
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from journeygraph import load
from journeygraph.cli import ExitCode, app
from journeygraph.evidence import discover, read_log
from journeygraph.evidence.reading.names import read_names
from journeygraph.evidence.reading.xes import read_xes
from journeygraph.exceptions import LogError
from tests.conftest import EXAMPLES

# One worker runs them all (--dist loadgroup), so the Helpdesk log is discovered once.
pytestmark = pytest.mark.xdist_group("helpdesk-xes")

HELPDESK = EXAMPLES / "helpdesk.xes.gz"
XES = "{http://www.xes-standard.org/}"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def _independent(path: Path) -> list[tuple[str, str, float]]:
    """(case, activity, epoch seconds) of every completed event, read with the standard library."""
    return [(case, activity, when) for case, activity, when, _ in _independent_events(path)]


def _independent_events(path: Path) -> list[tuple[str, str, float, str | None]]:
    """As `_independent`, with the performer: org:resource, else org:group."""
    with gzip.open(path, "rb") as handle:
        root = ET.parse(handle).getroot()
    events = []
    for trace in root.iter():
        if trace.tag.rsplit("}", 1)[-1] != "trace":
            continue
        keys = {c.get("key"): c.get("value") for c in trace if c.tag.rsplit("}", 1)[-1] != "event"}
        for event in trace:
            if event.tag.rsplit("}", 1)[-1] != "event":
                continue
            a = {c.get("key"): c.get("value") for c in event}
            if (a.get("lifecycle:transition") or "complete").lower() != "complete":
                continue
            when = datetime.fromisoformat(str(a["time:timestamp"])).timestamp()
            who = a.get("org:resource") or a.get("org:group")
            events.append((str(keys["concept:name"]), str(a["concept:name"]), when, who))
    return events


def test_the_helpdesk_log_matches_an_independent_reading() -> None:
    events = _independent(HELPDESK)
    flow = discover(read_log(HELPDESK))
    cases = {c for c, _, _ in events}
    assert (flow.cases, flow.events) == (len(cases), len(events)) == (4580, 21348)
    # Directly-follows counts, customers and median times, from the events sorted
    # by time within each case (file order breaks ties).
    by_case: dict[str, list[tuple[float, int, str]]] = {}
    for i, (case, activity, when) in enumerate(events):
        by_case.setdefault(case, []).append((when, i, activity))
    follows: Counter[tuple[str, str]] = Counter()
    customers: dict[tuple[str, str], set[str]] = {}
    gaps: dict[tuple[str, str], list[float]] = {}
    for case, steps in by_case.items():
        steps.sort()
        for (t1, _, a), (t2, _, b) in itertools.pairwise(steps):
            follows[(a, b)] += 1
            customers.setdefault((a, b), set()).add(case)
            gaps.setdefault((a, b), []).append(t2 - t1)
    assert {ab: s.transitions for ab, s in flow.transitions.items()} == dict(follows)
    for ab, s in flow.transitions.items():
        assert s.customers == len(customers[ab])
        assert s.median_seconds == pytest.approx(statistics.median(gaps[ab]))
    per_touchpoint = Counter(a for _, a, _ in events)
    assert {t: s.events for t, s in flow.touchpoints.items()} == dict(per_touchpoint)


def _xes(tmp_path: Path, body: str, name: str = "log.xes") -> Path:
    path = tmp_path / name
    path.write_text(
        f'<?xml version="1.0" encoding="UTF-8"?>\n<log xmlns="http://www.xes-standard.org/">\n'
        f"{body}</log>\n",
        encoding="utf-8",
    )
    return path


def _event(name: str, when: str | None, lifecycle: str | None = None) -> str:
    parts = [f'<string key="concept:name" value="{name}"/>']
    if when is not None:
        parts.append(f'<date key="time:timestamp" value="{when}"/>')
    if lifecycle is not None:
        parts.append(f'<string key="lifecycle:transition" value="{lifecycle}"/>')
    return f"<event>{''.join(parts)}</event>\n"


def test_lifecycle_keeps_completed_events_unless_asked(tmp_path: Path) -> None:
    body = (
        "<trace>\n"
        + _event("call", "2024-05-01T10:00:00Z", "start")
        + _event("call", "2024-05-01T10:05:00Z", "complete")
        + _event("demo", "2024-05-01T11:00:00Z")
        + '<string key="concept:name" value="c1"/>\n</trace>\n'
    )
    path = _xes(tmp_path, body)
    kept = read_xes(path)
    assert [r[:2] for r in kept.rows] == [("c1", "call"), ("c1", "demo")]
    assert kept.skipped == {"start": 1}
    assert kept.lines == (5, 6)  # the XML declaration, <log> and <trace> come first
    assert len(read_xes(path, lifecycle="all").rows) == 3
    code, out, _ = run("discover", str(path), "--lifecycle", "all", "-f", "json")
    assert code == ExitCode.OK
    assert '"events": 3' in out
    # The events left out are said, never dropped unsaid.
    assert read_log(path).bad == {"lifecycle 'start' (--lifecycle all keeps them)": 1}
    code, _, err = run("discover", str(path), "-f", "json")
    assert code == ExitCode.OK
    assert "1 row of" in err
    assert "1 lifecycle 'start' (--lifecycle all keeps them)" in err


def test_a_missing_timestamp_is_a_bad_row_at_its_line(tmp_path: Path) -> None:
    body = (
        '<trace><string key="concept:name" value="c1"/>\n'
        + _event("call", "2024-05-01T10:00:00Z")
        + _event("demo", None)
        + "</trace>\n"
    )
    path = _xes(tmp_path, body)
    log = read_log(path)
    assert (log.events, log.bad) == (1, {"no time": 1})
    assert str(log.examples[0]) == f"{path}:5:1: no time"
    code, _, err = run("discover", str(path), "--strict")
    assert code == ExitCode.ERROR
    assert f"{path}:5:1: no time" in err
    assert "Traceback" not in err


def test_bad_xml_is_located(tmp_path: Path) -> None:
    path = tmp_path / "broken.xes.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write('<log>\n<trace>\n<event>\n<string key="x" value="1"/>\n</trace>\n</log>\n')
    with pytest.raises(LogError) as caught:
        read_xes(path)
    (problem,) = caught.value.problems
    assert problem.location is not None
    assert (problem.location.file, problem.location.line) == (str(path), 5)
    code, _, err = run("discover", str(path))
    assert code == ExitCode.ERROR
    assert f"{path}:5:" in err
    assert "not well-formed XML" in err


def test_an_xml_file_that_is_not_xes_says_so(tmp_path: Path) -> None:
    path = tmp_path / "feed.xes"
    path.write_text("<rss><channel/></rss>\n", encoding="utf-8")
    code, _, err = run("discover", str(path))
    assert code == ExitCode.ERROR
    assert "not an XES event log (its root element is <rss>, not <log>)" in err


def _quantile(values: list[float], q: float) -> float:
    """The ``q`` quantile with linear interpolation between the closest ranks."""
    ordered = sorted(values)
    at = (len(ordered) - 1) * q
    low = int(at)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (at - low)


Path_ = list[tuple[float, int, str, str | None]]


@functools.cache
def _helpdesk() -> tuple[dict[str, Any], dict[tuple[str, tuple[str, ...]], Any], dict[str, Path_]]:
    """discover's JSON on the Helpdesk with its map, its conformance findings by rule and
    entities, and each case's events in time order (file order breaks ties), read from the
    XML with the map's names applied in plain Python."""
    code, out, err = run(
        "discover", str(HELPDESK), "--map", str(EXAMPLES / "helpdesk.yaml"),
        "-f", "json", "--fail-on", "never",
    )  # fmt: skip
    assert code == ExitCode.OK, err
    data = json.loads(out)
    found = {(f["rule"], tuple(f["entities"])): f for f in data["conformance"]}
    m = load(EXAMPLES / "helpdesk.yaml")
    names = {n: t.id for t in m.touchpoints for n in t.log_names}
    people = {p: f.id for f in m.functions for p in f.log_performers}
    by_case: dict[str, Path_] = {}
    for i, (case, activity, when, who) in enumerate(_independent_events(HELPDESK)):
        mapped = names.get(activity, activity)
        by_case.setdefault(case, []).append((when, i, mapped, people.get(who, who) if who else who))
    return data, found, {case: sorted(steps) for case, steps in by_case.items()}


def test_the_helpdesk_against_its_map_names_and_slas() -> None:
    """The map's log names map activities to ids; unlisted names are reported; SLA times."""
    _, found, paths = _helpdesk()
    m = load(EXAMPLES / "helpdesk.yaml")
    names = {n for t in m.touchpoints for n in t.log_names}
    unlisted = sorted({a for _, a, _, _ in _independent_events(HELPDESK)} - names)
    assert unlisted == ["DUPLICATE", "INVALID", "Schedule intervention"]
    assert {e[0] for r, e in found if r == "unmapped-touchpoint"} == set(unlisted)
    # Closure request (second line -> first line, SLA 1d) covers resolve-ticket -> close.
    gaps = [
        t2 - t1
        for steps in paths.values()
        for (t1, _, a, _), (t2, _, b, _) in itertools.pairwise(steps)
        if (a, b) == ("resolve-ticket", "close")
    ]
    breach = found[("sla-breach", ("second-line", "first-line"))]
    assert breach["median_seconds"] == pytest.approx(statistics.median(gaps))
    assert breach["steps"] == len(gaps)
    assert breach["median_seconds"] > 86_400


def test_the_helpdesk_who_does_the_work_and_who_hands_it_on() -> None:
    """Performers against the RACI, and the handover-of-work network, from the XML."""
    data, found, paths = _helpdesk()
    m = load(EXAMPLES / "helpdesk.yaml")
    # Who does the work: the share of each touchpoint's events its R performed.
    for row in data["performed"]:
        done = [w for s in paths.values() for _, _, tp, w in s if tp == row["touchpoint"] and w]
        responsible = next(t for t in m.touchpoints if t.id == row["touchpoint"]).owners.responsible
        assert row["events"] == len(done)
        assert row["by_responsible"] == sum(w in responsible for w in done)
    # Handover of work: consecutive steps performed by two different performers.
    steps_of: Counter[tuple[str, str]] = Counter()
    cases_of: dict[tuple[str, str], set[str]] = {}
    undeclared: Counter[tuple[str, str]] = Counter()
    declared = {(h.from_, h.to) for h in m.handoffs}  # the example's handoffs have no `at`
    functions = {f.id for f in m.functions}
    for case, steps in paths.items():
        for (_, _, _, p), (_, _, _, q) in itertools.pairwise(steps):
            if p and q and p != q:
                steps_of[(p, q)] += 1
                cases_of.setdefault((p, q), set()).add(case)
                if {p, q} <= functions and (p, q) not in declared:
                    undeclared[(p, q)] += 1
    work = {(w["from"], w["to"]): w for w in data["handoffs"]["work"]}
    assert {pair: (w["steps"], w["customers"]) for pair, w in work.items()} == {
        pair: (n, len(cases_of[pair])) for pair, n in steps_of.items()
    }
    assert (
        {e for r, e in found if r == "undeclared-handover"}
        == set(undeclared)
        == {
            ("first-line", "developer"),
            ("developer", "first-line"),
        }
    )
    for pair, n in undeclared.items():
        assert found[("undeclared-handover", pair)]["steps"] == n
        assert work[pair]["status"] == "undeclared"
    assert work[("second-line", "first-line")]["status"] == "declared"
    assert {e for r, e in found if r == "unmapped-performer"} == {("Value 21",)}


def test_the_helpdesk_paths_and_times() -> None:
    """Variants, end-to-end time, fitness, time per stage and conversion, from the XML."""
    data, _, paths = _helpdesk()
    m = load(EXAMPLES / "helpdesk.yaml")
    stage = {t.id: t.stage for t in m.touchpoints}
    variants = Counter(tuple(tp for _, _, tp, _ in s) for s in paths.values())
    assert data["distinct_variants"] == len(variants)
    top = sorted(variants.items(), key=lambda v: (-v[1], v[0]))[:5]
    assert [(tuple(v["path"]), v["customers"]) for v in data["variants"][:5]] == top
    spans = [s[-1][0] - s[0][0] for s in paths.values()]
    assert data["end_to_end"]["median_seconds"] == pytest.approx(_quantile(spans, 0.5))
    assert data["end_to_end"]["p90_seconds"] == pytest.approx(_quantile(spans, 0.9))
    entries = {t.id for t in m.touchpoints if t.entry}
    exits = {t.id for t in m.touchpoints if t.exit}
    mapped_steps = {(t.id, s.to) for t in m.touchpoints for s in t.next}
    tps = [[tp for _, _, tp, _ in s] for s in paths.values()]
    fits = [
        p[0] in entries
        and p[-1] in exits
        and all(ab in mapped_steps for ab in itertools.pairwise(p))
        for p in tps
    ]
    fitness = data["journey"]["fitness"]
    assert fitness["fitting"] == sum(fits)
    assert fitness["not_from_entry"] == sum(p[0] not in entries for p in tps)
    assert fitness["not_at_exit"] == sum(p[-1] not in exits for p in tps)
    assert fitness["off_map"] == sum(
        any(ab not in mapped_steps for ab in itertools.pairwise(p)) for p in tps
    )
    time_in: dict[str, list[float]] = {}
    for steps in paths.values():
        spent: dict[str, float] = {}
        for k, (when, _, tp, _) in enumerate(steps):
            if tp in stage:
                after = steps[k + 1][0] - when if k + 1 < len(steps) else 0.0
                spent[stage[tp]] = spent.get(stage[tp], 0.0) + after
        for st, t in spent.items():
            time_in.setdefault(st, []).append(t)
    for row in data["journey"]["stages"]:
        assert row["customers"] == len(time_in[row["stage"]])
        assert row["median_seconds"] == pytest.approx(_quantile(time_in[row["stage"]], 0.5))
        assert row["p90_seconds"] == pytest.approx(_quantile(time_in[row["stage"]], 0.9))
    met = {s.id: {c for c, st in paths.items() if any(stage.get(x[2]) == s.id for x in st)}
           for s in m.stages}  # fmt: skip
    for row in data["journey"]["conversion"]:
        assert (row["reached"], row["converted"]) == (
            len(met[row["from"]]),
            len(met[row["from"]] & met[row["to"]]),
        )


def test_a_names_file_is_checked_line_by_line(tmp_path: Path) -> None:
    names = tmp_path / "names.csv"
    names.write_text(
        "log_name,touchpoint\nAd,ad\nAd,shop\n,shop\nCheckout,chekout\n", encoding="utf-8"
    )
    with pytest.raises(LogError) as caught:
        read_names(names, ["ad", "shop", "checkout"])
    assert [str(p) for p in caught.value.problems] == [
        f"{names}:3:1: log name 'Ad' stands for 'ad' on line 2 and for 'shop' here; a name "
        "stands for one touchpoint",
        f"{names}:4:1: empty log_name",
        f"{names}:5:2: the map has no touchpoint 'chekout'; did you mean 'checkout'?",
    ]
    names.write_text("name,id\nAd,ad\n", encoding="utf-8")
    code, _, err = run("discover", str(HELPDESK), "--names", str(names))
    assert code == ExitCode.ERROR
    assert (
        f"{names}:1:1: a names file needs the columns log_name, touchpoint, or performer, "
        "function; found name, id"
    ) in err


def test_a_skeleton_of_the_helpdesk_is_a_valid_map(tmp_path: Path) -> None:
    """Rare steps (1 in 5,000) once rounded to a weight of 0, which no map may hold."""
    skeleton = tmp_path / "observed.yaml"
    code, _, err = run("discover", str(HELPDESK), "--emit-map", str(skeleton), "-o", "/dev/null")
    assert code == ExitCode.OK, err
    m = load(skeleton)
    assert len(m.touchpoints) == 14
    assert min(s.weight or 0 for t in m.touchpoints for s in t.next) == 1.0


def test_who_performed_each_touchpoint_matches_the_log() -> None:
    """Performers (org:resource) per activity, counted again from the XML."""
    with gzip.open(HELPDESK, "rb") as handle:
        root = ET.parse(handle).getroot()
    counted: Counter[tuple[str, str]] = Counter()
    for event in root.iter(f"{XES}event"):
        a = {c.get("key"): c.get("value") for c in event}
        if a.get("org:resource") is not None:
            counted[(str(a["concept:name"]), str(a["org:resource"]))] += 1
    flow = discover(read_log(HELPDESK))
    assert {(t, who): n for t, done in flow.performers.items() for who, n in done} == dict(counted)
    for done in flow.performers.values():
        assert [n for _, n in done] == sorted((n for _, n in done), reverse=True)


def test_a_csv_log_names_its_performer_column(tmp_path: Path) -> None:
    log = tmp_path / "events.csv"
    log.write_text(
        "case_id,touchpoint,timestamp,agent\nc1,call,1,ann\nc2,call,2,bob\nc3,call,3,ann\n",
        encoding="utf-8",
    )
    code, out, err = run("discover", str(log), "--performer", "agent", "-f", "json")
    assert code == ExitCode.OK, err
    rows = json.loads(out)["performers"]
    assert rows == [
        {"touchpoint": "call", "performer": "ann", "events": 2, "share": 0.6667},
        {"touchpoint": "call", "performer": "bob", "events": 1, "share": 0.3333},
    ]
    code, _, err = run("discover", str(log), "--performer", "agnet")
    assert code == ExitCode.ERROR
    assert "no column 'agnet' (given by --performer or its default); did you mean 'agent'?" in err


def test_performers_mapped_to_functions_are_judged_against_the_raci(tmp_path: Path) -> None:
    """A names file maps people to functions; the checks compare them with the RACI."""
    m = tmp_path / "map.yaml"
    m.write_text(
        "version: 1\njourney: {id: j}\nstages: [{id: s}]\n"
        "functions: [{id: sales, name: Sales}, {id: support, name: Support}]\n"
        "touchpoints:\n"
        "  - {id: demo, name: Demo, stage: s, exit: true, owners: {R: sales, A: sales}}\n",
        encoding="utf-8",
    )
    log = tmp_path / "events.csv"
    log.write_text(
        "case_id,touchpoint,timestamp,agent\nc1,Demo call,1,ann\nc2,Demo call,2,ann\n",
        encoding="utf-8",
    )
    names = tmp_path / "names.csv"
    names.write_text(
        "log_name,touchpoint,performer,function\nDemo call,demo,ann,support\n", encoding="utf-8"
    )
    code, out, err = run(
        "discover", str(log), "--map", str(m), "--names", str(names),
        "--performer", "agent", "-f", "json", "--fail-on", "never",
    )  # fmt: skip
    assert code == ExitCode.OK, err
    data = json.loads(out)
    found = {f["rule"]: f for f in data["conformance"]}
    assert found["responsible-not-observed"]["message"] == (
        "'Demo' names 'Sales' Responsible, but 2 events in the log were performed by 'Support'."
    )
    assert found["unexpected-performer"]["entities"] == ["demo", "support"]
    assert data["performers"] == [
        {"touchpoint": "demo", "performer": "support", "events": 2, "share": 1.0}
    ]
    names.write_text("performer,function\nann,suport\n", encoding="utf-8")
    code, _, err = run("discover", str(log), "--map", str(m), "--names", str(names))
    assert code == ExitCode.ERROR
    assert f"{names}:2:2: the map has no function 'suport'; did you mean 'support'?" in err


def test_a_segment_of_the_helpdesk_matches_an_independent_selection() -> None:
    """--since/--until keep the cases that started in the period; --where the cases with the
    value on the trace or any of its events: counted again from the XML."""
    with gzip.open(HELPDESK, "rb") as handle:
        root = ET.parse(handle).getroot()
    start: dict[str, float] = {}
    levels: dict[str, set[str]] = {}
    events_of: Counter[str] = Counter()
    for trace in root.iter(f"{XES}trace"):
        case = next(c.get("value") for c in trace if c.get("key") == "concept:name")
        for event in trace.iter(f"{XES}event"):
            a = {c.get("key"): c.get("value") for c in event}
            when = datetime.fromisoformat(str(a["time:timestamp"])).timestamp()
            start[str(case)] = min(start.get(str(case), when), when)
            levels.setdefault(str(case), set()).add(str(a.get("service_level")))
            events_of[str(case)] += 1
    since = datetime.fromisoformat("2012-06-01T00:00:00+00:00").timestamp()
    until = datetime.fromisoformat("2013-01-01T00:00:00+00:00").timestamp()
    kept = {c for c, t in start.items() if since <= t < until and "Value 2" in levels[c]}
    code, out, err = run(
        "discover", str(HELPDESK), "--since", "2012-06-01", "--until", "2013-01-01",
        "--where", "service_level=Value 2", "-f", "json",
    )  # fmt: skip
    assert code == ExitCode.OK, err
    data = json.loads(out)
    assert data["cases"] == len(kept) > 0
    assert data["events"] == sum(events_of[c] for c in kept)
    assert data["log"]["outside_segment"]["cases"] == len(start) - len(kept)
    assert data["log"]["segment"] == (
        "cases that started from 2012-06-01 00:00 UTC before 2013-01-01 00:00 UTC, "
        "where service_level=Value 2"
    )


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("--where", "servce_level=x"), "no attribute 'servce_level' to select cases by "
         "(--where); did you mean 'service_level'?"),
        (("--where", "level"), "--where 'level': write ATTRIBUTE=VALUE"),
        (("--since", "last week"), "--since 'last week': not an ISO 8601 date or time"),
        (("--since", "2013-01-01", "--until", "2012-01-01"), "is not after --since"),
        (("--since", "2030-01-01"), "no case is in the segment"),
    ],
)  # fmt: skip
def test_a_wrong_segment_is_said(args: tuple[str, ...], said: str) -> None:
    code, _, err = run("discover", str(HELPDESK), *args)
    assert code == ExitCode.ERROR
    assert said in " ".join(err.split())


def test_stages_from_an_event_attribute(tmp_path: Path) -> None:
    skeleton = tmp_path / "observed.yaml"
    code, _, err = run(
        "discover", str(HELPDESK), "--stage", "support_section", "--emit-map", str(skeleton),
        "-o", "/dev/null",
    )  # fmt: skip
    assert code == ExitCode.OK, err
    assert "observed" not in {s.id for s in load(skeleton).stages}
    code, _, err = run("discover", str(HELPDESK), "--stage", "suport_section")
    assert code == ExitCode.ERROR
    assert "no event attribute 'suport_section' to read stages from (--stage); did you mean " \
        "'support_section'?" in " ".join(err.split())  # fmt: skip


def test_a_large_log_read_in_parallel_is_read_as_in_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cut into parts at trace boundaries and read by several processes, the Helpdesk log
    gives the same rows, lines and case attributes as read in one; a bad part is read
    again in one process and reported where it is."""
    from journeygraph.evidence.reading import xes

    monkeypatch.setattr(xes, "scan_xes", lambda *_: None)  # the element-building reader
    serial = tmp_path / "serial"
    serial.mkdir()
    one, [only] = xes.write_csv(HELPDESK, serial)
    monkeypatch.setattr(xes, "PARALLEL_BYTES", 1)
    monkeypatch.setattr(os, "cpu_count", lambda: 3)
    parallel = tmp_path / "parallel"
    parallel.mkdir()
    many, parts = xes.write_csv(HELPDESK, parallel)
    assert len(parts) == 3
    rows = [line for part in parts for line in part.read_text(encoding="utf-8").splitlines()[1:]]
    assert rows == only.read_text(encoding="utf-8").splitlines()[1:]
    assert many.lines == one.lines
    assert many.case_attributes == one.case_attributes
    flow = discover(read_log(HELPDESK))
    assert (flow.cases, flow.events) == (4580, 21348)
    broken = tmp_path / "broken.xes"
    text = gzip.decompress(HELPDESK.read_bytes()).decode("utf-8").splitlines(keepends=True)
    middle = len(text) * 2 // 3
    text[middle] = text[middle].replace("/>", ">", 1)  # an attribute element left open
    broken.write_text("".join(text), encoding="utf-8")
    with pytest.raises(LogError) as caught:
        xes.write_csv(broken, tmp_path)
    monkeypatch.setattr(xes, "PARALLEL_BYTES", 1 << 40)
    with pytest.raises(LogError) as alone:
        xes.write_csv(broken, tmp_path)
    assert caught.value.problems == alone.value.problems
    location = caught.value.problems[0].location
    assert location is not None
    # libxml2 sees the element left open where the event closes, a few lines on.
    assert middle + 1 <= location.line <= middle + 15


def test_event_lines_are_right_past_line_65535() -> None:
    """libxml2 keeps lines in 16 bits (lxml says 65,535 past it, or the line after); every
    fiftieth event's line is checked against the decompressed text."""
    data = gzip.decompress(HELPDESK.read_bytes())
    starts = [m.start() for m in re.finditer(rb"<event[\s>]", data)]
    actual = [data.count(b"\n", 0, s) + 1 for s in starts[:: len(starts) // 50]]
    lines = read_xes(HELPDESK).lines
    assert max(actual) > 65_535
    assert list(lines[:: len(starts) // 50]) == actual


_LAYOUTS = {
    # One event a line: lxml says 65,535 for each past it.
    "one line": '<event><string key="concept:name" value="{tp}"/>'
    '<date key="time:timestamp" value="{ts}"/></event>\n',
    # Its attributes a line each, a blank line inside: lxml says the line after, or two.
    "spread": '<event>\n\n  <string key="concept:name" value="{tp}"/>\n'
    '  <date key="time:timestamp" value="{ts}"/>\n</event>\n',
}


def _event_starts(path: Path) -> list[int]:
    """The line each ``<event>`` of the file starts on, counted in the text."""
    lines = []
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        lines += [number] * text.count("<event>")
    return lines


def _long_log(tmp_path: Path, layout: str, bad_at: int) -> tuple[Path, int]:
    """A log of 80,000 lines or more, not plain (a comment in each trace: lxml reads it),
    whose first event from line ``bad_at`` on has the time 'soon'; the log and that line."""
    form = _LAYOUTS[layout]
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<log xes.version="1.0">\n']
    line, bad_line, case = 3, 0, 0  # the line the next text starts on
    while line < max(80_000, bad_at + 1_000):
        case += 1
        parts.append(f'<trace><string key="concept:name" value="c{case}"/><!-- c{case} -->\n')
        line += 1
        for minute, step in enumerate(("call", "demo")):
            stamp = f"2024-05-01T10:0{minute}:00Z"
            if not bad_line and line >= bad_at:
                stamp, bad_line = "soon", line
            parts.append(form.format(tp=step, ts=stamp))
            line += form.count("\n")
        parts.append("</trace>\n")
        line += 1
    parts.append("</log>\n")
    path = tmp_path / f"{layout.replace(' ', '-')}.xes"
    path.write_text("".join(parts), encoding="utf-8")
    return path, bad_line


def test_a_part_whose_worker_fails_hands_the_log_back_to_one_process(tmp_path: Path) -> None:
    """A worker that raises (here: its part's file is gone) gives no result, so the log is
    read again in one process, which says what and where the problem is."""
    from journeygraph.evidence.reading import xes_parallel
    from journeygraph.evidence.reading.xes_events import XesOptions
    from journeygraph.evidence.reading.xml_lines import event_lines

    gone = xes_parallel._Part(
        str(tmp_path / "gone.xml"), b"<log>", 0, 10, True, 0, "log.xes",
        str(tmp_path / "events-0.csv"), XesOptions(),
    )  # fmt: skip
    assert xes_parallel._run_parts([gone]) is None
    text = gzip.decompress(HELPDESK.read_bytes())
    source = tmp_path / "log.xml"
    source.write_bytes(text)
    first = text.index(b"<trace")
    whole = xes_parallel._Part(
        str(source), text[:first], first, len(text), True, 0, "log.xes",
        str(tmp_path / "events-1.csv"), XesOptions(),
    )  # fmt: skip
    # The same part read in a worker: the events at the lines one process finds.
    done = xes_parallel._run_parts([whole])
    assert done is not None
    [(_, lines)] = done
    # Past line 65,534 a worker gives each event's place (-k); the part read again finds it.
    found = event_lines(lines, [(0, xes_parallel._reader(source, whole), whole.offset)])
    assert list(found) == list(read_xes(HELPDESK).lines)
    assert len(lines) == 21_348


def test_a_script_without_a_main_guard_runs_once_when_the_log_is_read_in_parallel(
    tmp_path: Path,
) -> None:
    """Spawned workers import the parent's main module again; theirs is a bare one, so a
    script reading a large log at its top level is not run again in each of them."""
    import subprocess
    import sys

    script = tmp_path / "read.py"
    script.write_text(
        "import os, pathlib, sys\n"
        "from journeygraph.evidence.reading import xes\n"
        "xes.PARALLEL_BYTES = 1\n"
        "xes.scan_xes = lambda *_: None\n"
        "os.cpu_count = lambda: 3\n"
        "print('started', flush=True)\n"
        f"log, parts = xes.write_csv({str(HELPDESK)!r}, pathlib.Path(sys.argv[1]))\n"
        "print(len(parts), len(log.lines))\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, str(script), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["started", "3 21348"]


@pytest.mark.parametrize("layout", sorted(_LAYOUTS))
def test_a_bad_event_past_line_70000_is_at_its_line(tmp_path: Path, layout: str) -> None:
    """The element-building reader (the log is not plain), one event a line and spread
    over lines: the bad row's file:line, and every event's line, as the text has them."""
    path, bad_line = _long_log(tmp_path, layout, 70_123)
    assert bad_line >= 70_123
    log = read_log(path)
    assert log.bad == {"time is not ISO 8601 or epoch seconds/milliseconds": 1}
    assert str(log.examples[0]).startswith(f"{path}:{bad_line}:1: time is not ISO 8601")
    actual = _event_starts(path)
    assert list(read_xes(path).lines) == actual
    code, _, err = run("discover", str(path), "--strict")
    assert code == ExitCode.ERROR
    assert f"{path}:{bad_line}:1: time is not ISO 8601" in err


def test_lines_past_65535_are_right_in_parallel_and_for_events_left_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A log read in three processes gives the lines one process does, each part's past
    65,535 found in the part; an event left out (a value over the limit) is at its line."""
    import os

    from journeygraph.evidence.reading import xes
    from journeygraph.evidence.reading.limits import LogLimits

    path, _ = _long_log(tmp_path, "one line", 200_000)
    text = path.read_text(encoding="utf-8").splitlines(keepends=True)
    long_at = 150_001
    assert text[long_at - 1].startswith("<event>")
    text[long_at - 1] = text[long_at - 1].replace('value="call"', f'value="{"x" * 300}"', 1)
    text[long_at - 1] = text[long_at - 1].replace('value="demo"', f'value="{"x" * 300}"', 1)
    path.write_text("".join(text), encoding="utf-8")
    actual = _event_starts(path)
    del actual[actual.index(long_at)]
    limits = LogLimits.parse(["value=200"])
    folder = tmp_path / "one"
    folder.mkdir()
    one, _ = xes.write_csv(path, folder, limits=limits)
    assert list(one.lines) == actual
    assert one.dropped_at == [(long_at, 1, one.dropped_at[0][2])]
    monkeypatch.setattr(xes, "PARALLEL_BYTES", 1)
    monkeypatch.setattr(os, "cpu_count", lambda: 3)
    folder = tmp_path / "many"
    folder.mkdir()
    many, parts = xes.write_csv(path, folder, limits=limits)
    assert len(parts) == 3
    assert list(many.lines) == actual
    assert many.dropped_at == one.dropped_at
