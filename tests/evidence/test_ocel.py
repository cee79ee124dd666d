"""OCEL 2.0 input: PM4Py's own JSON, XML and SQLite exports of one log, and bad files.

The fixture (tests/fixtures/ocel/orders.*) was written by PM4Py's exporters from
the events below (`benchmarks/make_ocel_fixture.py`): what journeygraph reads
from each file is checked against them, computed again in plain Python.
"""

from __future__ import annotations

import itertools
import json
import sqlite3
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from journeygraph.cli import ExitCode, app
from journeygraph.evidence import discover, read_log
from journeygraph.exceptions import LogError
from tests.conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "ocel"
FORMATS = ["orders.jsonocel", "orders.xmlocel", "orders.sqlite"]

# The events PM4Py wrote the fixture from: (event, activity, time, resource, objects).
EVENTS = [
    (e["id"], e["activity"], e["time"], e["resource"], e["objects"])
    for e in json.loads((FIXTURES / "events.json").read_text(encoding="utf-8"))
]


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def _expected(prefix: str) -> tuple[int, int, Counter[tuple[str, str]], Counter[tuple[str, str]]]:
    """Cases, events, directly-follows counts and handovers for objects whose ids start
    with ``prefix``: each event counts once for each such object it relates to."""
    cases: dict[str, list[tuple[float, str, str]]] = {}
    for _, activity, when, who, related in EVENTS:
        for obj in related:
            if obj.startswith(prefix):
                cases.setdefault(obj, []).append(
                    (datetime.fromisoformat(when).timestamp(), activity, who)
                )
    follows: Counter[tuple[str, str]] = Counter()
    handed: Counter[tuple[str, str]] = Counter()
    for steps in cases.values():
        for (_, a, p), (_, b, q) in itertools.pairwise(sorted(steps)):
            follows[(a, b)] += 1
            if p != q:
                handed[(p, q)] += 1
    return len(cases), sum(len(s) for s in cases.values()), follows, handed


@pytest.mark.parametrize("name", FORMATS)
@pytest.mark.parametrize(("object_type", "prefix"), [("order", "o"), ("item", "i")])
def test_each_format_reads_as_the_events_say(name: str, object_type: str, prefix: str) -> None:
    flow = discover(read_log(FIXTURES / name, object_type=object_type))
    cases, events, follows, handed = _expected(prefix)
    assert (flow.cases, flow.events) == (cases, events)
    assert {ab: s.transitions for ab, s in flow.transitions.items()} == dict(follows)
    assert {(h.giver, h.taker): h.steps for h in flow.handovers} == dict(handed)


def test_an_event_of_two_orders_counts_for_each() -> None:
    flow = discover(read_log(FIXTURES / "orders.jsonocel", object_type="order"))
    # e3 confirms o1 and o2: both customers have a confirmation.
    assert flow.touchpoints["confirm order"].customers == 2
    assert flow.touchpoints["confirm order"].events == 2


@pytest.mark.parametrize("name", FORMATS)
def test_where_reads_object_attributes(name: str) -> None:
    code, out, err = run(
        "discover", str(FIXTURES / name), "--object-type", "order", "--where", "channel=store",
        "-f", "json",
    )  # fmt: skip
    assert code == ExitCode.OK, err
    data = json.loads(out)
    assert data["cases"] == 1  # o2, the only order sold in store
    assert [v["path"] for v in data["variants"]] == [["place order", "confirm order", "pay"]]


def test_the_object_type_is_asked_for_and_checked() -> None:
    code, _, err = run("discover", str(FIXTURES / "orders.sqlite"))
    assert code == ExitCode.ERROR
    said = " ".join(err.split())
    assert "say which plays the customer with --object-type" in said
    assert "'item' (4 objects), 'order' (3 objects), 'customer' (2 objects)" in said
    code, _, err = run("discover", str(FIXTURES / "orders.xmlocel"), "--object-type", "ordr")
    assert code == ExitCode.ERROR
    assert "no objects of type 'ordr' (--object-type); did you mean 'order'?" in err


def test_bad_ocel_files_are_located(tmp_path: Path) -> None:
    bad_json = tmp_path / "bad.jsonocel"
    bad_json.write_text('{"objectTypes": [],\n "events": [,]}', encoding="utf-8")
    with pytest.raises(LogError) as caught:
        read_log(bad_json, object_type="order")
    assert str(caught.value.problems[0]).startswith(f"{bad_json}:2:13: not well-formed JSON")
    bad_xml = tmp_path / "bad.xmlocel"
    bad_xml.write_text("<log>\n<objects><object id='o1' type='order'>\n</log>", encoding="utf-8")
    with pytest.raises(LogError) as caught:
        read_log(bad_xml, object_type="order")
    assert str(caught.value.problems[0]).startswith(f"{bad_xml}:3:")
    assert "not well-formed XML" in str(caught.value.problems[0])
    old = tmp_path / "old.jsonocel"
    old.write_text('{"ocel:global-log": {}, "ocel:events": {}}', encoding="utf-8")
    with pytest.raises(LogError, match=r"OCEL 1\.0 logs"):
        read_log(old, object_type="order")
    not_ocel = tmp_path / "other.sqlite"
    sqlite3.connect(not_ocel).execute("CREATE TABLE t (x)").connection.commit()
    with pytest.raises(LogError, match=r"not an OCEL 2\.0 SQLite log"):
        read_log(not_ocel, object_type="order")


def test_an_event_with_no_time_is_a_bad_row_at_its_line(tmp_path: Path) -> None:
    data = json.loads((FIXTURES / "orders.jsonocel").read_text(encoding="utf-8"))
    event = next(e for e in data["events"] if e["id"] == "e6")
    del event["time"]
    file = tmp_path / "no-time.jsonocel"
    file.write_text(json.dumps(data, indent=2), encoding="utf-8")
    log = read_log(file, object_type="order")
    assert log.bad == {"no time": 1}
    line = next(
        i for i, text in enumerate(file.read_text(encoding="utf-8").splitlines(), 1)
        if '"id": "e6"' in text
    )  # fmt: skip
    assert str(log.examples[0]) == f"{file}:{line}:1: no time"


def test_an_event_past_line_70000_is_at_its_line(tmp_path: Path) -> None:
    """libxml2 keeps lines in 16 bits: past 65,535 the line is found by the event's place."""
    text = (FIXTURES / "orders.xmlocel").read_text(encoding="utf-8")
    at = text.index('    <event id="e6"')
    text = text[:at] + "\n" * 70_000 + text[at:]
    text = text.replace(' time="2024-01-01T12:00:00">', ">", 1)
    file = tmp_path / "far.xmlocel"
    file.write_text(text, encoding="utf-8")
    line = text.count("\n", 0, text.index('<event id="e6"')) + 1
    assert line > 70_000
    log = read_log(file, object_type="order")
    assert log.bad == {"no time": 1}
    assert str(log.examples[0]) == f"{file}:{line}:1: no time"
