"""The report speaks the client's language: names, not ids; no command lines or file
names in its body; who it is for, by whom and when on its header and every page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

import journeygraph
from journeygraph.cli import ExitCode, app
from journeygraph.diff import describe, diff_maps
from journeygraph.rule_ids import AUDIT_RULE_IDS
from tests.conftest import EXAMPLES

MORTGAGE = EXAMPLES / "mortgage.yaml"


def _before(tmp_path: Path) -> Path:
    """The mortgage map before a change: the Head of mortgage lending also Accountable
    for the offer letter, and its first touchpoint named otherwise."""
    data = yaml.safe_load(MORTGAGE.read_text(encoding="utf-8"))
    offer = next(t for t in data["touchpoints"] if t["id"] == "offer-letter")
    offer["owners"]["A"] = [
        *(
            [offer["owners"]["A"]]
            if isinstance(offer["owners"]["A"], str)
            else offer["owners"]["A"]
        ),
        "credit-head",
    ]
    data["touchpoints"][0]["name"] = "Looks up rates"
    out = tmp_path / "before.yaml"
    out.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return out


@pytest.mark.graphviz
def test_the_body_names_people_and_things_not_tools(tmp_path: Path) -> None:
    out = tmp_path / "r"
    result = CliRunner().invoke(
        app,
        [
            "report",
            str(MORTGAGE),
            "--before",
            str(_before(tmp_path)),
            "--client",
            "Northbank",
            "--author",
            "Jo Rivera",
            "--date",
            "7 December 2026",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == ExitCode.OK, result.stderr
    html = (out / "report.html").read_text(encoding="utf-8")
    header = re.search(r'<header class="top">(.*?)</header>', html, re.S)
    assert header is not None
    assert "For Northbank · by Jo Rivera · 7 December 2026" in header.group(1)
    assert "journeygraph" not in header.group(1)
    # Every printed page's footer carries them too.
    assert re.search(
        r'@bottom-center \{ content: "For Northbank \\b7  by Jo Rivera \\b7  7 December 2026"',
        html,
    )
    body = re.sub(r"<style>.*?</style>|<script>.*?</script>", "", html, flags=re.S)
    assert "journeygraph actions" not in body
    assert "mortgage.yaml" not in body
    assert "<code>" not in body
    # The before/after changes in names: who is no longer Accountable for what.
    m = journeygraph.load(MORTGAGE)
    names = {t.id: t.label for t in m.touchpoints} | {f.id: f.label for f in m.functions}
    sentence = f"{names['credit-head']} is no longer Accountable for {names['offer-letter']}"
    assert sentence in body
    assert "offer-letter / A / credit-head" not in body
    # Rules by name, without code markup, and no line numbers or ".;" joins.
    visible = re.sub(r"<[^>]+>", " ", body)
    assert "`" not in visible
    assert ".;" not in visible
    assert not re.search(r"\bline \d+", visible)
    for rule_id in AUDIT_RULE_IDS:
        assert f"<h3>{rule_id} " not in body
        assert f">{rule_id}</span>" not in body
    assert re.search(r"<h3>[A-Z][a-z]+( [a-zA-Z]+)* <span", body)
    markdown = (out / "report.md").read_text(encoding="utf-8")
    assert markdown.splitlines()[2] == "For Northbank · by Jo Rivera · 7 December 2026."
    assert f"- {sentence}" in markdown
    findings = markdown[markdown.index("## Findings") :]
    assert "`" not in findings
    assert "| Line |" not in findings
    for rule_id in AUDIT_RULE_IDS:
        assert f"### {rule_id} (" not in findings


def test_every_kind_of_change_is_described_in_names(tmp_path: Path) -> None:
    old = journeygraph.load(_before(tmp_path))
    new = journeygraph.load(MORTGAGE)
    d = diff_maps(old, new)
    described = [describe(c, old, new) for c in d.changes]
    assert len(described) == len(d.changes)
    ids = {t.id for t in new.touchpoints} | {f.id for f in new.functions}
    labels = {t.label for t in new.touchpoints} | {f.label for f in new.functions}
    for text in described:
        words = set(re.findall(r"[\w-]+", text))
        assert not {i for i in ids if "-" in i} & words, text  # no hyphenated id
    assert "The touchpoint Searches mortgage rates changed: name" in described
    assert any(label in " ".join(described) for label in labels)
