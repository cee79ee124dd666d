"""Spreadsheets: round trips, errors at sheet!cell, the template workbook."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, assume, given, settings
from typer.testing import CliRunner

import journeygraph
from journeygraph import JourneyMap, MapError
from journeygraph.cli import ExitCode, app
from journeygraph.io.workbook import (
    SHEETS,
    read_csv_folder,
    read_workbook,
    write_csv_folder,
    write_workbook,
)
from tests.conftest import EXAMPLES
from tests.io.test_exchange import _with_names
from tests.test_properties import NAMES, journey_maps

runner = CliRunner()


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.name)
def test_examples_round_trip(example: Path, tmp_path: Path) -> None:
    m = journeygraph.load(example)
    write_workbook(m, tmp_path / "m.xlsx")
    assert read_workbook(tmp_path / "m.xlsx") == m
    write_csv_folder(m, tmp_path / "csv")
    assert read_csv_folder(tmp_path / "csv") == m


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(journey_maps(), NAMES)
def test_random_maps_round_trip(tmp_path: Path, data: dict[str, Any], name: str) -> None:
    # A spreadsheet cell cannot tell an empty text from an empty cell.
    assume(name != "")
    m: JourneyMap = _with_names(data, name)
    write_workbook(m, tmp_path / "r.xlsx")
    assert read_workbook(tmp_path / "r.xlsx") == m
    write_csv_folder(m, tmp_path / "r")
    assert read_csv_folder(tmp_path / "r") == m


def test_formulas_stay_text(tmp_path: Path) -> None:
    m = journeygraph.JourneyMap.model_validate(
        {
            "version": 1,
            "journey": {"id": "j", "name": '=HYPERLINK("http://x")'},
            "stages": [{"id": "s", "name": "+1"}],
            "touchpoints": [{"id": "-t", "stage": "s"}],
        }
    )
    write_workbook(m, tmp_path / "m.xlsx")
    cell = openpyxl.load_workbook(tmp_path / "m.xlsx")["journey"]["B3"]
    assert cell.data_type == "s"
    assert read_workbook(tmp_path / "m.xlsx") == m
    write_csv_folder(m, tmp_path / "csv")
    assert (tmp_path / "csv" / "stages.csv").read_text(encoding="utf-8").splitlines()[1] == "s,'+1,"
    assert read_csv_folder(tmp_path / "csv") == m


CONTROLS = "".join(chr(c) for c in [*range(1, 32), 0x7F, 0x85, 0x202E, 0xFFFE])


@pytest.mark.parametrize("suffix", [".xlsx", ""])
def test_control_characters_round_trip(suffix: str, tmp_path: Path) -> None:
    # Every control character a map may hold, and text that looks like Excel's escape.
    m = journeygraph.JourneyMap.model_validate(
        {
            "version": 1,
            "journey": {"id": "j", "name": f"J {CONTROLS} _x0041_ _x005F_ =1+1"},
            "stages": [{"id": "s", "name": "\r=HYPERLINK(1)\r\n"}],
            "touchpoints": [{"id": "t", "stage": "s", "name": "a\x1b[2J\x07"}],
        }
    )
    out = tmp_path / f"m{suffix}"
    code = runner.invoke(app, ["export", str(_saved(m, tmp_path)), "-o", str(out)]).exit_code
    assert code == ExitCode.OK
    back = read_workbook(out) if suffix else read_csv_folder(out)
    assert back == m
    if suffix:  # what Excel reads: OOXML's escape, not a raw control character
        cell = openpyxl.load_workbook(out)["journey"]["B3"].value
        assert "_x001B_" in cell
        assert "_x005F_x0041_" in cell


def _saved(m: JourneyMap, tmp_path: Path) -> Path:
    from journeygraph.io.write import save_map

    return save_map(m, tmp_path / "map.yaml")


def test_a_text_longer_than_a_cell_is_refused_by_name(tmp_path: Path) -> None:
    m = journeygraph.JourneyMap.model_validate(
        {
            "version": 1,
            "journey": {"id": "j", "name": "J"},
            "stages": [{"id": "s"}],
            "touchpoints": [{"id": "t", "stage": "s", "description": "x" * 32_768}],
        }
    )
    out = tmp_path / "m.xlsx"
    result = runner.invoke(app, ["export", str(_saved(m, tmp_path)), "-o", str(out)])
    assert result.exit_code == ExitCode.ERROR
    assert "touchpoints!" in result.stderr
    assert "(description) holds a text of 32,768 characters" in result.stderr
    assert not out.exists()
    # At the limit it is kept whole.
    exact = m.model_copy(deep=True)
    exact.touchpoints[0].description = "x" * 32_767
    write_workbook(exact, out)
    assert read_workbook(out) == exact


def test_an_action_plan_workbook_holds_any_name(tmp_path: Path) -> None:
    m = journeygraph.load(EXAMPLES / "b2b-saas.yaml")
    data = m.model_dump(mode="json", by_alias=True, exclude_none=True)
    for i, f in enumerate(data["functions"]):
        f["name"] = f"Fn {i} \x1b[2J\x00 =1+1"
    path = _saved(journeygraph.JourneyMap.model_validate(data), tmp_path)
    out = tmp_path / "plan.xlsx"
    result = runner.invoke(app, ["actions", str(path), "-o", str(out)])
    assert result.exit_code == ExitCode.OK, result.stderr
    owners = [row[0].value for row in openpyxl.load_workbook(out)["actions"].iter_rows(min_row=2)]
    assert owners


def _broken(tmp_path: Path) -> Path:
    write_workbook(journeygraph.load(EXAMPLES / "b2b-saas.yaml"), tmp_path / "m.xlsx")
    book = openpyxl.load_workbook(tmp_path / "m.xlsx")
    assert book["touchpoints"]["A14"].value == "technical-evaluation"
    book["touchpoints"]["C14"].value = "consideraton"
    book["transitions"]["A2"].value = "serch-ad"
    book["ownership"]["C3"].value = "X"
    book["touchpoints"]["K1"].value = "colour"
    book.create_sheet("scratch")
    book.save(tmp_path / "bad.xlsx")
    return tmp_path / "bad.xlsx"


def test_errors_name_sheet_and_cell(tmp_path: Path) -> None:
    bad = _broken(tmp_path)
    with pytest.raises(MapError) as caught:
        read_workbook(bad)
    assert [str(p) for p in caught.value.problems] == [
        f"{bad}:ownership!C3: role must be R, A, C or I, not 'X'",
        f"{bad}:scratch!A1: unknown sheet 'scratch'; sheets: {', '.join(SHEETS)}",
        f"{bad}:touchpoints!K1: unknown column 'colour' in sheet 'touchpoints'; columns: "
        f"{', '.join(SHEETS['touchpoints'])}",
        f"{bad}:touchpoints!C14: unknown stage 'consideraton'; did you mean 'consideration'?",
        f"{bad}:transitions!A2: unknown touchpoint 'serch-ad'; did you mean 'search-ad'?",
    ]


def test_a_cycle_that_closes_no_loop_is_refused_at_its_cell(tmp_path: Path) -> None:
    m = journeygraph.loads(
        "version: 1\njourney: {id: j}\nstages: [{id: s}]\ntouchpoints:\n"
        "  - {id: a, stage: s, next: [b]}\n  - {id: b, stage: s, exit: true}\n"
    )
    write_workbook(m, tmp_path / "m.xlsx")
    book = openpyxl.load_workbook(tmp_path / "m.xlsx")
    book["transitions"]["D2"] = "retention"
    book.save(tmp_path / "bad.xlsx")
    with pytest.raises(MapError) as caught:
        read_workbook(tmp_path / "bad.xlsx")
    assert [str(p) for p in caught.value.problems] == [
        f"{tmp_path / 'bad.xlsx'}:transitions!D2: transition 'a' -> 'b' is marked as cycle "
        "'retention' but closes no loop: nothing leads from 'b' back to 'a'; mark the "
        "transition that goes back, or remove the cycle"
    ]


def test_template_fill_import_audit(tmp_path: Path) -> None:
    book = tmp_path / "template.xlsx"
    assert runner.invoke(app, ["template", "-o", str(book)]).exit_code == ExitCode.OK
    workbook = openpyxl.load_workbook(book)
    assert workbook.sheetnames[0] == "README"
    assert any(
        v.formula1 == "=stages!$A$2:$A$2000"
        for v in workbook["touchpoints"].data_validations.dataValidation
    )
    sheet = workbook["touchpoints"]
    sheet.append(["faq", "FAQ page", "consideration", "web", "frontstage", False, True])
    workbook.save(book)
    result = runner.invoke(app, ["import", str(book), "-o", str(tmp_path / "map.yaml")])
    assert result.exit_code == ExitCode.OK, result.stderr
    data = runner.invoke(
        app, ["audit", str(tmp_path / "map.yaml"), "-f", "json", "--fail-on", "never"]
    ).stdout
    assert '"entities": ["faq"]' in data  # the new touchpoint has no owner: a finding


def test_consultant_flow_without_writing_yaml(tmp_path: Path) -> None:
    """Template, fill in, audit, change, and show the client the diff and report."""
    before = tmp_path / "v1.xlsx"
    assert runner.invoke(app, ["template", "-o", str(before)]).exit_code == ExitCode.OK
    assert runner.invoke(app, ["audit", str(before), "--fail-on", "info"]).exit_code == 0
    book = openpyxl.load_workbook(before)
    book["touchpoints"].append(["faq", "FAQ page", "consideration", "web", "frontstage"])
    book["transitions"].append(["website", "faq"])
    book["transitions"].append(["faq", "sales-call"])
    after = tmp_path / "v2.xlsx"
    book.save(after)
    result = runner.invoke(app, ["diff", str(before), str(after), "-f", "markdown"])
    assert result.exit_code == ExitCode.FINDINGS  # a new high finding: the FAQ has no owner
    assert "| high | unowned-touchpoint | Touchpoint 'FAQ page' has no Responsible" in (
        result.stdout
    )
    assert "| touchpoint | faq | added |" in result.stdout
    out = tmp_path / "report"
    result = runner.invoke(app, ["report", str(after), "--before", str(before), "-o", str(out)])
    assert result.exit_code == ExitCode.OK, result.stderr
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "Changes since the previous version" in html
    assert "Findings before: none. After: 1 high, 1 low." in html
    assert "New findings (2)" in html


def test_a_single_csv_file_is_not_a_map(tmp_path: Path) -> None:
    lone = tmp_path / "touchpoints.csv"
    lone.write_text("id,stage\na,s\n", encoding="utf-8")
    result = runner.invoke(app, ["audit", str(lone)])
    assert result.exit_code == ExitCode.ERROR
    assert "a map in CSV is a folder of files" in result.stderr


@pytest.mark.parametrize(
    "text", ["_x0041_x0042_", "_x005F_x0041_", "__x0041__", "a\ud800b", "\u2028_x001B_\x1b"]
)
def test_escape_like_runs_and_surrogates_round_trip(text: str) -> None:
    from journeygraph.tabular import from_xlsx_text, xlsx_cell

    cell = xlsx_cell(text)
    assert isinstance(cell, str)
    cell.encode("utf-8")  # a workbook can hold it
    assert from_xlsx_text(cell) == text
