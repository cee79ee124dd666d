"""``journeygraph discover`` end to end, in-process."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from journeygraph import audit
from journeygraph.cli import ExitCode, app
from journeygraph.io.load import load
from tests.conftest import EXAMPLES

LOG = str(EXAMPLES / "b2b-saas-events.csv")
MAP = str(EXAMPLES / "b2b-saas.yaml")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_the_example_log_against_the_example_map() -> None:
    code, out, _ = run("discover", LOG, "--map", MAP)
    assert code == ExitCode.FINDINGS
    assert "1500 customers" in out
    assert "Touchpoint 'live-chat' is in the log" in out
    assert "Customers go from 'Pricing page' to 'Tailored demo'" in out
    assert "No customer in the log reached touchpoint 'Feature request'." in out
    assert "Changes of hands per customer: median" in out
    assert "Expected per customer" in out
    code, _, _ = run("discover", LOG, "--map", MAP, "--fail-on", "never")
    assert code == ExitCode.OK


def test_json_has_every_table() -> None:
    code, out, _ = run("discover", LOG, "--map", MAP, "-f", "json", "--fail-on", "never")
    assert code == ExitCode.OK
    data = json.loads(out)
    assert set(data) >= {
        "log",
        "cases",
        "events",
        "touchpoints",
        "transitions",
        "conformance",
        "audit",
        "handoffs",
        "expected",
    }
    assert data["cases"] == 1500
    first = data["audit"][0]
    assert first["customers"] >= data["audit"][-1]["customers"]
    assert set(data["expected"]) == {"map", "log"}


def test_sarif_holds_the_conformance_findings() -> None:
    code, out, _ = run("discover", LOG, "--map", MAP, "-f", "sarif", "--fail-on", "never")
    assert code == ExitCode.OK
    run_ = json.loads(out)["runs"][0]
    rules = {r["id"] for r in run_["tool"]["driver"]["rules"]}
    assert {r["ruleId"] for r in run_["results"]} <= rules
    assert "unmapped-transition" in rules


def test_without_a_map_tables_and_a_skeleton(tmp_path: Path) -> None:
    skeleton = tmp_path / "observed.yaml"
    code, _, err = run("discover", LOG, "-o", str(tmp_path / "tables"), "--emit-map", str(skeleton))
    assert code == ExitCode.OK, err
    assert sorted(p.name for p in (tmp_path / "tables").iterdir()) == [
        ".journeygraph",
        "touchpoints.csv",
        "transitions.csv",
        "variants.csv",
    ]
    m = load(skeleton)
    assert len(m.touchpoints) == 29  # the 28 of the map reached, and live-chat
    assert {t.id for t in m.touchpoints if t.entry} == {
        "search-ad",
        "blog-article",
        "social-post",
        "press-coverage",
        "review-sites",
    }
    assert audit(m).touchpoints == 29
    # Weights are the observed counts: a step taken once keeps a positive weight.
    flow = json.loads(run("discover", LOG, "-f", "json")[1])["transitions"]
    counts = {(t["from"], t["to"]): t["transitions"] for t in flow}
    assert {(t.id, s.to): s.weight for t in m.touchpoints for s in t.next} == {
        ab: float(n) for ab, n in counts.items()
    }
    code, _, err = run("discover", LOG, "--emit-map", str(skeleton))
    assert code == ExitCode.ERROR
    assert "exists; choose another name or pass --force" in err


def test_bad_logs_are_one_clear_message(tmp_path: Path) -> None:
    log = tmp_path / "events.csv"
    log.write_text("case_id,touchpoint,timestamp\nc1,ad,1\nc1,shop,soon\n", encoding="utf-8")
    code, out, err = run("discover", str(log))
    assert code == ExitCode.OK
    assert f"warning: 1 row of {log} left out" in err
    code, out, err = run("discover", str(log), "--strict")
    assert code == ExitCode.ERROR
    assert out == ""
    assert f"{log}:3:3: time is not ISO 8601 or epoch seconds/milliseconds: 'soon'" in err
    assert "Traceback" not in err
    code, _, err = run("discover", str(log), "--case", "customer")
    assert code == ExitCode.ERROR
    assert "no column 'customer' (given by --case or its default)" in err
    code, _, err = run("discover", str(log), "-f", "sarif")
    assert code == ExitCode.ERROR
    assert "SARIF holds findings: give --map" in err


def test_explain_knows_the_checks() -> None:
    code, out, _ = run("explain", "unmapped-transition")
    assert code == ExitCode.OK
    assert "Add the transition to the source's `next`" in out


def test_render_and_report_say_what_they_left_out_of_a_log(tmp_path: Path) -> None:
    log = tmp_path / "events.csv"
    log.write_text(
        "case_id,touchpoint,timestamp\nc1,awareness-ad,1\n,pricing-page,2\n", encoding="utf-8"
    )
    code, _, err = run("render", MAP, "--log", str(log), "-o", str(tmp_path / "flow.dot"))
    assert code == ExitCode.OK, err
    assert f"warning: 1 row of {log} left out (1 no case id), e.g. {log}:3:1" in err
    code, _, err = run("report", MAP, "--log", str(log), "-o", str(tmp_path / "report"))
    assert code == ExitCode.OK, err
    assert f"warning: 1 row of {log} left out" in err
    empty = tmp_path / "empty.csv"
    empty.write_text("case_id,touchpoint,timestamp\n,ad,1\n", encoding="utf-8")
    code, _, err = run("render", MAP, "--log", str(empty), "-o", str(tmp_path / "x.dot"))
    assert code == ExitCode.ERROR
    assert f"{empty}: no usable events" in err
    assert "Traceback" not in err


def test_the_log_tables_name_touchpoints_and_functions() -> None:
    """A reader sees 'Contract signature (Account executive)', never the map's ids."""
    from journeygraph.evidence import compare, discover, read_log

    m = load(MAP)
    evidence = compare(m, discover(read_log(LOG)))
    code, out, _ = run("discover", LOG, "--map", MAP, "--fail-on", "never")
    assert code == ExitCode.OK
    text = " ".join(out.split())
    for row in evidence.handoffs.slowest[:3]:
        named = evidence.name("touchpoint", row.from_touchpoint)
        assert named in text
        assert f"{row.from_touchpoint} (" not in text or named == row.from_touchpoint
    assert "absorbing Markov chain" not in text
