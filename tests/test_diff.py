"""Diff of two map versions: changes, findings that came and went, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from journeygraph.cli import ExitCode, app
from journeygraph.diff import diff_maps
from journeygraph.testing import fragment
from tests.conftest import EXAMPLES

runner = CliRunner()

OLD = """\
stages: [{id: s}, {id: t}]
functions: [{id: f}, {id: g}]
touchpoints:
  - {id: a, stage: s, next: [b], owners: {R: f, A: f}}
  - {id: b, stage: t, exit: true, owners: {R: g, A: g}}
handoffs: [{from: f, to: g, sla: 1d}]
"""


def test_known_changes_and_findings() -> None:
    new_text = OLD.replace("handoffs: [{from: f, to: g, sla: 1d}]\n", "").replace(
        "{id: b, stage: t, exit: true,", "{id: b, stage: t, exit: true, channel: web,"
    )
    d = diff_maps(fragment(OLD), fragment(new_text))
    assert [(c.kind, c.key, c.how, c.detail) for c in d.changes] == [
        ("touchpoint", ("b",), "changed", "channel"),
        ("handoff", ("f", "g"), "removed", ""),
    ]
    assert [(f.rule, f.entities) for f in d.appeared] == [("handoff-gap", ("a", "b"))]
    assert d.resolved == []
    assert d.matrix_changes == []


def test_ownership_and_matrix_changes() -> None:
    new = OLD.replace("owners: {R: g, A: g}", "owners: {R: [g, f], A: g}")
    d = diff_maps(fragment(OLD), fragment(new))
    assert [(c.kind, c.key, c.how) for c in d.changes] == [("ownership", ("b", "R", "f"), "added")]
    assert d.matrix_changes == [("f", "t", "", "R")]
    # a -> b no longer changes hands, so the declared handoff is no longer needed.
    assert [(f.rule, f.entities) for f in d.appeared] == [("unused-handoff", ("f", "g"))]
    assert d.resolved == []


def test_cli_diff_formats_and_exit_codes(tmp_path: Path) -> None:
    old = EXAMPLES / "b2b-saas.yaml"
    new = tmp_path / "new.yaml"
    new.write_text(
        old.read_text(encoding="utf-8").replace(
            "    owners: {R: seo, A: marketing}\n    metrics: [ctr, cost-per-click]\n",
            "    metrics: [ctr, cost-per-click]\n",
        ),
        encoding="utf-8",
    )
    result = runner.invoke(app, ["diff", str(old), str(new), "-f", "json"])
    assert result.exit_code == ExitCode.FINDINGS
    data = json.loads(result.stdout)
    assert {"rule": "unowned-touchpoint", "entities": ["search-ad"]}.items() <= {
        k: v for k, v in data["appeared"][0].items() if k in ("rule", "entities")
    }.items()
    result = runner.invoke(
        app, ["diff", str(old), str(new), "-f", "markdown", "--fail-on", "never"]
    )
    assert result.exit_code == ExitCode.OK
    assert "### New findings" in result.stdout
    assert runner.invoke(app, ["diff", str(old), str(old)]).exit_code == ExitCode.OK


def test_diff_takes_one_map_each_not_a_folder_of_maps() -> None:
    result = runner.invoke(app, ["diff", str(EXAMPLES), str(EXAMPLES / "b2b-saas.yaml")])
    assert result.exit_code == ExitCode.ERROR
    assert "a folder, but not of CSV map files" in result.stderr


def test_customer_layer_changes_and_their_findings() -> None:
    old = OLD + "personas: [{id: p}]\n"
    new = (
        old.replace("sla: 1d", "sla: 4h")
        .replace("personas: [{id: p}]", "personas: [{id: p, goals: [speed]}]")
        .replace(
            "{id: b, stage: t, exit: true,",
            "{id: b, stage: t, exit: true, experience: {pain_points: [slow]},",
        )
    )
    d = diff_maps(fragment(old), fragment(new))
    assert [(c.kind, c.key, c.how, c.detail) for c in d.changes] == [
        ("touchpoint", ("b",), "changed", "experience"),
        ("persona", ("p",), "changed", "goals"),
        ("handoff", ("f", "g"), "changed", "sla"),
    ]
    assert [(f.rule, f.entities) for f in d.appeared] == [("unaddressed-pain-point", ("b",))]
