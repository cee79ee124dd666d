"""SARIF output against the official schema, and baselines."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
from typer.testing import CliRunner

from journeygraph.cli import ExitCode, app
from tests.conftest import EXAMPLES, ROOT, line_of, write_map

SCHEMA = json.loads((ROOT / "tests" / "fixtures" / "sarif-2.1.0.schema.json").read_text("utf-8"))
runner = CliRunner()


def _run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_sarif_is_valid_and_points_at_map_lines(chdir_root: Path) -> None:
    code, out, _ = _run("audit", "examples/", "-f", "sarif", "--fail-on", "never")
    assert code == ExitCode.OK
    log = json.loads(out)
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    results = log["runs"][0]["results"]
    first = results[0]
    assert first["ruleId"] == "unowned-touchpoint"
    assert first["level"] == "error"
    location = first["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "examples/b2b-saas.yaml"
    line = line_of(EXAMPLES / "b2b-saas.yaml", "- id: review-sites")
    assert location["region"] == {"startLine": line, "startColumn": 5}
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules][first["ruleIndex"]] == "unowned-touchpoint"
    waived = [r for r in results if "suppressions" in r]
    assert waived[0]["suppressions"][0]["justification"].startswith("Trial sign-ups")
    assert len({r["partialFingerprints"]["journeygraph/v1"] for r in results}) == len(results)


def test_sarif_escapes_nothing_away(tmp_path: Path) -> None:
    m = write_map(
        tmp_path / "odd name #1.yaml",
        'stages: [{id: s}]\ntouchpoints: [{id: a, stage: s, name: "<script>\\"x\\"</script>"}]\n',
    )
    log = json.loads(_run("audit", str(m), "-f", "sarif", "--fail-on", "never")[1])
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    messages = [r["message"]["text"] for r in log["runs"][0]["results"]]
    assert any('<script>"x"</script>' in text for text in messages)


def test_baseline_reports_only_new_findings(tmp_path: Path) -> None:
    original = (EXAMPLES / "b2b-saas.yaml").read_text(encoding="utf-8")
    before = tmp_path / "map.yaml"
    before.write_text(original, encoding="utf-8")
    for fmt in ("json", "sarif"):
        baseline = tmp_path / f"baseline.{fmt}"
        _run("audit", str(before), "-f", fmt, "-o", str(baseline), "--fail-on", "never")
        code, out, err = _run("audit", str(before), "-f", "json", "--baseline", str(baseline))
        assert code == ExitCode.OK, err
        assert json.loads(out)["findings"] == []
        found = _run("audit", str(before), "-f", "json", "--fail-on", "never")[1]
        known = len(json.loads(found)["findings"])
        assert known > 1
        assert f"{known} findings already in the baseline left out" in err
    # A new dead end, with lines shifted above the old findings: only it is new.
    edited = original.replace(
        "touchpoints:\n",
        "touchpoints:\n  - {id: hotline, name: Hotline, stage: awareness,"
        " owners: {R: seo, A: marketing}}\n",
        1,
    )
    before.write_text(edited, encoding="utf-8")
    code, out, _ = _run(
        "audit", str(before), "-f", "json", "--baseline", str(tmp_path / "baseline.json")
    )
    assert code == ExitCode.FINDINGS
    assert [f["rule"] for f in json.loads(out)["findings"]] == ["dead-end"]


def test_bad_baseline(tmp_path: Path) -> None:
    bad = tmp_path / "baseline.json"
    bad.write_text('{"journey": "j",\n "findings": [}', encoding="utf-8")
    code, _, err = _run("audit", str(EXAMPLES / "b2b-saas.yaml"), "--baseline", str(bad))
    assert code == ExitCode.ERROR
    assert f"{bad}:2:15: not valid JSON" in err
    bad.write_text("[1, 2]", encoding="utf-8")
    code, _, err = _run("audit", str(EXAMPLES / "b2b-saas.yaml"), "--baseline", str(bad))
    assert code == ExitCode.ERROR
    assert "not a journeygraph audit" in err
