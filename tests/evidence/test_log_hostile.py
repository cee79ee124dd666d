"""Event logs that once ended in a traceback, counted nonsense as times, or named wrong lines."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from journeygraph.cli import ExitCode, app
from journeygraph.evidence import read_log
from journeygraph.evidence.reading.rows import MALFORMED

runner = CliRunner()
HEADER = "case_id,touchpoint,timestamp\n"
ROW = "c{n},ad,2024-05-01T10:00:00Z\n"


def run(*args: str | Path) -> tuple[int, str, str]:
    result = runner.invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.stderr
    assert "internal error" not in result.stderr, result.stderr
    return result.exit_code, result.stdout, result.stderr


def no_nan(text: str) -> Any:
    def refuse(constant: str) -> None:
        raise AssertionError(f"{constant} in JSON output")

    return json.loads(text, parse_constant=refuse)


def test_malformed_rows_after_the_sniffed_sample_are_bad_rows_at_their_lines(
    tmp_path: Path,
) -> None:
    rows = [ROW.format(n=n) for n in range(30_000)]
    rows[25_000] = "c1,ad,2024-05-01T10:00:00Z,extra\n"  # line 25,002
    log = tmp_path / "late.csv"
    log.write_bytes((HEADER + "".join(rows)).encode() + b"c9,\xff\xfe,2024-05-01T10:00:00Z\n")
    events = read_log(log)
    assert events.bad == {MALFORMED: 2}
    assert events.events == 29_999
    assert [str(b.location) for b in events.examples] == [f"{log}:25002:4", f"{log}:30002:2"]
    code, _, err = run("discover", log, "--strict")
    assert code == ExitCode.ERROR
    assert f"{log}:25002:4: {MALFORMED}: Expected Number of Columns: 3 Found: 4" in err


def test_lines_count_a_preamble_and_rows_over_several_lines(tmp_path: Path) -> None:
    log = tmp_path / "crm.csv"
    log.write_text(
        "Exported from the CRM on Monday\n"
        "by the operations team\n" + HEADER + 'c1,"shop\nfront",2024-05-01T11:00:00Z\n'
        "c1,,2024-05-01T12:00:00Z\n"  # line 6
         + ROW.format(n=2) + "c3,ad,someday\n",  # line 8
        encoding="utf-8",
    )
    events = read_log(log)
    assert [str(b) for b in events.examples] == [
        f"{log}:6:2: no touchpoint",
        f"{log}:8:3: time is not ISO 8601 or epoch seconds/milliseconds: 'someday'",
    ]
    assert events.lines_of([1, 2, 3]) == {1: 4, 2: 6, 3: 7}


@pytest.mark.parametrize("scan_rows", [0, 50_000], ids=["arithmetic", "reading"])
def test_a_simple_log_maps_rows_to_lines_either_way(
    scan_rows: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("journeygraph.evidence.reading.csv_source._SCAN_ROWS", scan_rows)
    log = tmp_path / "plain.csv.gz"
    with gzip.open(log, "wt", encoding="utf-8") as handle:
        handle.write(HEADER + "".join(ROW.format(n=n) for n in range(10)))
    assert read_log(log).lines_of([1, 10]) == {1: 2, 10: 11}


def test_rows_over_several_lines_are_found_far_down_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Past the rows it reads to, lines_of checks the arithmetic holds, else reads.
    monkeypatch.setattr("journeygraph.evidence.reading.csv_source._SCAN_ROWS", 0)
    log = tmp_path / "crm.csv"
    log.write_text(HEADER + 'c1,"shop\nfront",1714557600\n' + ROW.format(n=2), "utf-8")
    assert read_log(log).lines_of([1, 2]) == {1: 2, 2: 4}


def test_a_line_over_the_size_limit_is_a_bad_row_at_its_line(tmp_path: Path) -> None:
    log = tmp_path / "huge.csv"
    log.write_text(
        HEADER + ROW.format(n=1) * 50 + "c2," + "x" * 3_000_000 + ",1714557600\n" + ROW.format(n=3),
        encoding="utf-8",
    )
    events = read_log(log)
    assert events.bad == {MALFORMED: 1}
    assert str(events.examples[0].location) == f"{log}:52:1"
    assert "Maximum line size" in events.examples[0].reason


@pytest.mark.parametrize("time", ["inf", "-inf", "nan", "NaN", "1e308", "-1e308", "99999999999999"])
def test_numbers_that_are_no_time_are_bad_rows(time: str, tmp_path: Path) -> None:
    log = tmp_path / "times.csv"
    log.write_text(
        HEADER + "c1,ad,1714557600\n" + f"c1,shop,{time}\n" + "c1,cart,1714557900\n",
        encoding="utf-8",
    )
    events = read_log(log)
    assert events.bad == {"time is not ISO 8601 or epoch seconds/milliseconds": 1}
    code, out, _ = run("discover", log, "-f", "json")
    assert code == ExitCode.OK
    data = no_nan(out)
    assert data["log"]["events"] == 2


def test_epoch_times_of_this_century_still_read(tmp_path: Path) -> None:
    log = tmp_path / "epoch.csv"
    log.write_text(HEADER + "c1,ad,1714557600\nc1,shop,1714557600123\n", encoding="utf-8")
    assert read_log(log).bad == {}


@pytest.mark.parametrize("content", [b"", b"\n\n  \n"])
def test_an_empty_log_says_so(content: bytes, tmp_path: Path) -> None:
    log = tmp_path / "empty.csv"
    log.write_bytes(content)
    code, _, err = run("discover", log)
    assert code == ExitCode.ERROR
    assert err.strip() == (
        f"journeygraph: {log}: the file is empty; an event log has a header row "
        "(case_id,touchpoint,timestamp by default) and a row per event"
    )


def test_log_problems_are_log_errors_with_named_reasons(tmp_path: Path) -> None:
    from journeygraph.evidence.reading.rows import BadReason
    from journeygraph.exceptions import LogError

    log = tmp_path / "log.csv"
    long = "x" * 1_001
    log.write_text(
        HEADER + f",ad,1714557600\nc1,,1714557600\nc1,ad,\nc1,ad,soon\nc1,{long},1714557600\n",
        "utf-8",
    )
    assert read_log(log).bad == {reason.text: 1 for reason in BadReason}
    with pytest.raises(LogError) as caught:
        read_log(log, strict=True)
    # Reported as every input's problems are: one located line per problem.
    lines = str(caught.value).splitlines()
    assert len(lines) == len(caught.value.problems) == len(BadReason)
    assert all(line.startswith(f"{log}:") for line in lines)
    assert [p.location.column for p in caught.value.problems if p.location] == [1, 2, 3, 3, 2]


def test_a_cell_over_python_csv_limit_still_finds_lines(tmp_path: Path) -> None:
    import csv

    log = tmp_path / "big-cell.csv"
    log.write_text(HEADER + "c" * 200_000 + ",ad,1714557600\n" + "c2,ad,never\n", encoding="utf-8")
    before = csv.field_size_limit()
    events = read_log(log)
    assert [str(b) for b in events.examples] == [
        f"{log}:3:3: time is not ISO 8601 or epoch seconds/milliseconds: 'never'"
    ]
    assert csv.field_size_limit() == before  # the global limit is left as it was
