"""Every output format behind one interface, implementing exactly what CAPABILITIES says."""

from __future__ import annotations

import json
from typing import Any

import pytest
from typer.testing import CliRunner

from journeygraph.cli import app
from journeygraph.cli.common import (
    AuditFormat,
    DiffFormat,
    MatrixFormat,
    RulesFormat,
    TableFormat,
    ToBeFormat,
    WhatIfFormat,
)
from journeygraph.diff import diff_maps
from journeygraph.exceptions import JourneyGraphError
from journeygraph.model import FailOn, Severity
from journeygraph.report import CAPABILITIES, Formatter, Output, OutputFormat, formatter
from journeygraph.testing import tiny_map
from journeygraph.whatif import dependence_ranking, what_if
from tests.conftest import EXAMPLES

METHODS = {
    Output.AUDIT: "audit",
    Output.MATRIX: "matrix",
    Output.EVIDENCE: "evidence",
    Output.TABLE: "table",
    Output.DIFF: "diff",
    Output.WHATIF: "whatif",
    Output.TO_BE: "to_be",
}


@pytest.mark.parametrize("name", list(OutputFormat), ids=str)
def test_each_format_implements_what_it_claims(name: OutputFormat) -> None:
    chosen = type(formatter(name))
    for output, method in METHODS.items():
        own = getattr(chosen, method) is not getattr(Formatter, method)
        assert own == (name in CAPABILITIES[output]), f"{name} and {output}"
    if name in CAPABILITIES[Output.WHATIF]:
        assert chosen.dependence is not Formatter.dependence
    own = chosen.suggestions is not Formatter.suggestions
    assert own == (name in CAPABILITIES[Output.TO_BE])


def test_a_format_refuses_what_it_cannot_hold() -> None:
    with pytest.raises(JourneyGraphError, match="markdown cannot hold an audit; use --format text"):
        formatter("markdown").audit([])
    with pytest.raises(JourneyGraphError, match="sarif cannot hold a diff; use --format text"):
        formatter("sarif").diff(diff_maps(tiny_map(), tiny_map()))


def test_the_command_line_offers_the_formats_the_library_has() -> None:
    offered: dict[Output, Any] = {
        Output.AUDIT: AuditFormat,
        Output.MATRIX: MatrixFormat,
        Output.TABLE: TableFormat,
        Output.DIFF: DiffFormat,
        Output.WHATIF: WhatIfFormat,
        Output.TO_BE: ToBeFormat,
        Output.RULES: RulesFormat,
    }
    for output, choices in offered.items():
        assert [c.value for c in choices] == [f.value for f in CAPABILITIES[output]]


def test_fail_on_is_every_severity_or_never() -> None:
    assert [f.value for f in FailOn] == [s.value for s in Severity] + ["never"]
    assert FailOn.LOW.fails([Severity.MEDIUM])
    assert not FailOn.HIGH.fails([Severity.MEDIUM])
    assert not FailOn.NEVER.fails(list(Severity))


def test_whatif_through_the_formatters_matches_the_library() -> None:
    m = tiny_map()
    ranking = json.loads(formatter("json").dependence(m, dependence_ranking(m)))["ranking"]
    assert [(r["function"], r["score"]) for r in ranking] == [
        (d.function, d.score) for d in dependence_ranking(m)
    ]
    effect = json.loads(formatter("json").whatif(m, what_if(m, functions=["sales"])))
    assert effect["without_responsible"] == ["shop"]
    assert "1 touchpoint left without a Responsible: shop" in formatter("text").whatif(
        m, what_if(m, functions=["sales"])
    )


def test_diff_markdown_through_the_command_line() -> None:
    b2b = str(EXAMPLES / "b2b-saas.yaml")
    result = CliRunner().invoke(app, ["diff", b2b, b2b, "-f", "markdown"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("## Journey map changes: ")
    refused = CliRunner().invoke(app, ["diff", b2b, b2b, "-f", "sarif"])
    assert refused.exit_code == 2
