"""Hostile logs from the trust issue (29): bombs, huge values, deep nesting, rows dropped unsaid.

Each test runs the real reader (real files, real DuckDB, real SQLite) with the
limit lowered where the hostile input would otherwise have to be gigabytes.
"""

from __future__ import annotations

import gzip
import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from journeygraph.cli import ExitCode, app
from journeygraph.evidence import read_log
from journeygraph.evidence.reading.limits import LogLimits
from journeygraph.evidence.reading.rows import MALFORMED
from journeygraph.exceptions import JourneyGraphError, LogError

runner = CliRunner()
HEADER = "case_id,touchpoint,timestamp\n"
ROW = "c1,ad,2024-05-01T10:00:00Z\n"
EVENT = (
    '<event><string key="concept:name" value="{name}"/>'
    '<date key="time:timestamp" value="2024-05-01T10:0{n}:00+00:00"/>{extra}</event>\n'
)


def run(*args: str | Path) -> tuple[int, str, str]:
    """Run the CLI; it must end with one clear message, never a traceback."""
    result = runner.invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.stderr
    assert "internal error" not in result.stderr, result.stderr
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), repr(result.exception)
    return result.exit_code, result.stdout, result.stderr


def xes(*traces: str) -> str:
    return '<?xml version="1.0"?>\n<log xes.version="1.0">\n' + "".join(traces) + "</log>\n"


def trace(case: str, *events: str) -> str:
    return f'<trace><string key="concept:name" value="{case}"/>\n' + "".join(events) + "</trace>\n"


def event(name: str, n: int = 0, extra: str = "") -> str:
    return EVENT.format(name=name, n=n, extra=extra)


# 13: a truncated or tiny .xes.gz ----------------------------------------------


@pytest.mark.parametrize("cut", [2, 30, -20], ids=["two-bytes", "header-only", "truncated"])
def test_a_truncated_xes_gz_says_so(cut: int, tmp_path: Path) -> None:
    whole = gzip.compress(xes(trace("c1", event("ad"), event("shop", 1))).encode())
    log = tmp_path / "log.xes.gz"
    log.write_bytes(whole[:cut])
    code, _, err = run("discover", log)
    assert code == ExitCode.ERROR
    assert f"{log}: not a whole gzip file" in err
    assert "copy or export it again" in err


# 5: decompression bombs ---------------------------------------------------------


def test_an_xes_gz_inflating_past_the_limit_stops_early(tmp_path: Path) -> None:
    log = tmp_path / "bomb.xes.gz"
    body = xes(trace("c1", event("ad"))).replace("</log>", " " * (8 << 20) + "</log>")
    log.write_bytes(gzip.compress(body.encode()))
    with pytest.raises(LogError) as caught:
        read_log(log, limits=LogLimits(inflated=1 << 20))
    assert "inflates to more than 1,048,576 bytes" in str(caught.value)
    assert "--limit inflated=N" in str(caught.value)
    # Raised, the same log reads.
    assert read_log(log, limits=LogLimits(inflated=16 << 20)).events == 1


def test_a_bomb_is_stopped_by_its_ratio_before_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("journeygraph.evidence.reading.guard.RATIO_FROM_BYTES", 1 << 17)
    log = tmp_path / "bomb.csv.gz"
    log.write_bytes(gzip.compress((HEADER + ROW + "\n" * (1 << 19)).encode()))
    code, _, err = run("discover", log)
    assert code == ExitCode.ERROR
    assert "times its size" in err
    assert "decompression bomb" in err
    # The user who trusts it says how large it may be, and it reads.
    code, _, err = run("discover", log, "--limit", "inflated=64MB", "-f", "json")
    assert code == ExitCode.OK, err


def test_text_without_markup_past_the_limit_is_an_error_at_its_line(tmp_path: Path) -> None:
    log = tmp_path / "spaces.xes"
    log.write_text(xes(trace("c1", event("ad")), "\n" + " " * 5_000 + "\n"), encoding="utf-8")
    with pytest.raises(LogError) as caught:
        read_log(log, limits=LogLimits(text=4_000))
    (problem,) = caught.value.problems
    assert str(problem.location) == f"{log}:5:1"  # where the run after the last tag starts
    assert "more than 4,000 bytes of text without markup" in problem.message


@pytest.mark.parametrize("lifecycle", ["complete", "all"])
def test_text_without_markup_across_blocks_is_an_error_at_its_line(
    tmp_path: Path, lifecycle: str
) -> None:
    """A run longer than a block read: its line is counted when the message needs it."""
    log = tmp_path / "spaces.xes"
    spaces = "\n" + " " * (5 << 20) + "\n"
    log.write_text(xes(trace("c1", event("ad")), spaces), encoding="utf-8")
    with pytest.raises(LogError) as caught:
        read_log(log, lifecycle=lifecycle, limits=LogLimits(text=(4 << 20) + 1))
    (problem,) = caught.value.problems
    assert str(problem.location) == f"{log}:5:1"
    gzipped = tmp_path / "spaces.xes.gz"
    gzipped.write_bytes(gzip.compress(log.read_bytes()))
    with pytest.raises(LogError) as caught:
        read_log(gzipped, lifecycle=lifecycle, limits=LogLimits(text=(4 << 20) + 1))
    (problem,) = caught.value.problems
    assert str(problem.location) == f"{gzipped}:5:1"


def test_the_temporary_folder_is_removed_on_sigterm(tmp_path: Path) -> None:
    import os
    import signal
    import subprocess
    import sys
    import time

    log = tmp_path / "slow.xes"
    log.write_text(xes(*(trace(f"c{k}", event("ad")) for k in range(200_000))), encoding="utf-8")
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch)}
    code = "from journeygraph.evidence import read_log; import sys; read_log(sys.argv[1])"
    process = subprocess.Popen([sys.executable, "-c", code, str(log)], env=env)
    deadline = time.monotonic() + 30

    def made() -> bool:
        # The read's own folder: Python's first look for a temporary folder writes and
        # removes a file of a random name there, which a signal may catch half way.
        return any(p.name.startswith("journeygraph-") for p in scratch.iterdir())

    while not made() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert made(), "the read never made its folder"
    process.send_signal(signal.SIGTERM)
    assert process.wait(30) == -signal.SIGTERM
    assert list(scratch.iterdir()) == []


def test_duckdb_spills_into_a_folder_of_ours_removed_at_exit(tmp_path: Path) -> None:
    import subprocess
    import sys

    log = tmp_path / "log.csv"
    log.write_text(HEADER + ROW)
    code = (
        "import sys; from journeygraph.evidence import read_log; "
        "log = read_log(sys.argv[1]); "
        "print(log.connection.execute(\"SELECT current_setting('temp_directory')\").fetchone()[0])"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(log)], cwd=tmp_path, capture_output=True, check=True
    )
    folder = Path(done.stdout.decode().strip())
    assert folder.name.startswith("journeygraph-spill-")  # not DuckDB's .tmp in the cwd
    assert not folder.exists()
    assert not (tmp_path / ".tmp").exists()


# 9: one huge XES attribute ---------------------------------------------------------


def test_an_xes_event_with_a_value_over_the_limit_is_a_bad_row_at_its_line(
    tmp_path: Path,
) -> None:
    log = tmp_path / "big.xes"
    huge = f'<string key="org:resource" value="{"x" * 3_000_000}"/>'
    log.write_text(
        xes(trace("c1", event("ad"), event("shop", 1, huge), event("cart", 2))), encoding="utf-8"
    )
    events = read_log(log)
    assert events.events == 2
    (reason,) = events.bad
    assert reason.startswith("a value over 2,000,000 bytes")
    assert str(events.examples[0].location) == f"{log}:5:1"
    assert "3,000,000 bytes" in events.examples[0].reason
    code, _, err = run("discover", log, "--strict")
    assert code == ExitCode.ERROR
    assert f"{log}:5:1: a value over 2,000,000 bytes" in err
    assert "journeygraph-" not in err  # no temporary path


# 10: deep JSON, huge numbers, a type table without ocel_id ----------------------------


def ocel_json(events: list[object], objects: list[object] | None = None) -> str:
    return json.dumps(
        {
            "objectTypes": [{"name": "order", "attributes": []}],
            "eventTypes": [],
            "objects": objects if objects is not None else [{"id": "o1", "type": "order"}],
            "events": events,
        },
        indent=1,
    )


def ok_event(ident: str, time: object = "2024-05-01T10:00:00Z") -> dict[str, object]:
    return {"id": ident, "type": "place", "time": time, "relationships": [{"objectId": "o1"}]}


def test_ocel_json_nested_deeper_than_python_reads_is_an_error_at_its_place(
    tmp_path: Path,
) -> None:
    log = tmp_path / "deep.jsonocel"
    text = ocel_json([ok_event("e1")])
    log.write_text(text.replace('"objects"', '"x": ' + "[" * 100_000 + ', "objects"', 1))
    code, _, err = run("discover", log)
    assert code == ExitCode.ERROR
    line = log.read_text()[: log.read_text().index('"x"')].count("\n") + 1
    assert f"{log}:{line}:" in err
    assert "nested more than 200 levels" in err


def test_an_ocel_time_of_5000_digits_is_a_bad_time(tmp_path: Path) -> None:
    log = tmp_path / "digits.jsonocel"
    text = ocel_json([ok_event("e1"), ok_event("e2", 0)])
    log.write_text(text.replace('"time": 0', '"time": ' + "9" * 5_000))
    events = read_log(log)
    assert events.events == 1
    assert events.bad == {"time is not ISO 8601 or epoch seconds/milliseconds": 1}


def sqlite_log(
    path: Path, *, attributes: str = "ocel_id TEXT, ocel_time TEXT"
) -> sqlite3.Connection:
    con = sqlite3.connect(path)
    con.executescript(
        f"""
        CREATE TABLE event (ocel_id TEXT, ocel_type TEXT);
        CREATE TABLE object (ocel_id TEXT, ocel_type TEXT);
        CREATE TABLE event_object (ocel_event_id TEXT, ocel_object_id TEXT, ocel_qualifier TEXT);
        CREATE TABLE event_map_type (ocel_type TEXT, ocel_type_map TEXT);
        CREATE TABLE event_place ({attributes});
        INSERT INTO event_map_type VALUES ('place', 'place');
        INSERT INTO object VALUES ('o1', 'order');
        INSERT INTO event VALUES ('e1', 'place'), ('e2', 'place');
        INSERT INTO event_object VALUES ('e1', 'o1', ''), ('e2', 'o1', '');
        """
    )
    if "ocel_id" in attributes:
        con.executescript(
            "INSERT INTO event_place VALUES ('e1', '2024-05-01T10:00:00Z'), "
            "('e2', '2024-05-01T11:00:00Z');"
        )
    con.commit()
    return con


def test_an_ocel_type_table_without_ocel_id_is_named(tmp_path: Path) -> None:
    log = tmp_path / "log.sqlite"
    sqlite_log(log, attributes="id TEXT, ocel_time TEXT").close()
    code, _, err = run("discover", log)
    assert code == ExitCode.ERROR
    assert "table 'event_place' has no column ocel_id" in err


# 6: SQLite values and rows past the limits ----------------------------------------


def test_a_generated_sqlite_column_is_refused_by_name(tmp_path: Path) -> None:
    log = tmp_path / "log.sqlite"
    con = sqlite_log(log)
    con.executescript(
        "ALTER TABLE event RENAME TO plain; "
        "CREATE TABLE event (ocel_id TEXT, t TEXT, "
        "ocel_type TEXT GENERATED ALWAYS AS (CASE WHEN ocel_id = 'e2' "
        "THEN printf('%.*c', 400000, 'x') ELSE t END) VIRTUAL); "
        "INSERT INTO event (ocel_id, t) SELECT ocel_id, ocel_type FROM plain;"
    )
    con.commit()
    con.close()
    code, _, err = run("discover", log)
    assert code == ExitCode.ERROR
    assert f"{log}: table 'event', column 'ocel_type' is computed as it is read" in err


def test_a_big_sqlite_blob_is_named_and_rows_are_bounded(tmp_path: Path) -> None:
    log = tmp_path / "log.sqlite"
    con = sqlite_log(log)
    con.execute("UPDATE event_place SET ocel_time = ? WHERE ocel_id = 'e2'", [b"x" * 5_000])
    con.commit()
    con.close()
    with pytest.raises(LogError, match=r"table 'event_place', row 2, column 'ocel_time'"):
        read_log(log, limits=LogLimits(text=4_000))
    with pytest.raises(LogError, match=r"table 'event\w*' has 2 rows, more than 1; --limit rows="):
        read_log(log, limits=LogLimits(rows=1))


# 19: OCEL events dropped without a count -----------------------------------------


def test_ocel_json_events_that_cannot_be_read_are_counted_at_their_lines(tmp_path: Path) -> None:
    log = tmp_path / "log.jsonocel"
    broken = {"id": "e3", "type": "pay", "time": "2024-05-01T12:00:00Z", "relationships": "o1"}
    log.write_text(ocel_json([ok_event("e1"), "e2", broken]), encoding="utf-8")
    events = read_log(log)
    assert events.events == 1
    assert events.bad == {
        "an event that is not a JSON object": 1,
        "an event whose relationships are not a list": 1,
    }
    text = log.read_text().splitlines()
    lines = [b.location.line for b in events.examples]
    assert text[lines[0] - 1].strip() == '"e2",'
    assert text[lines[1] - 1].strip() == "{"
    assert '"e3"' in text[lines[1]]


def test_ocel_xml_events_with_no_id_are_counted_at_their_lines(tmp_path: Path) -> None:
    log = tmp_path / "log.xmlocel"
    log.write_text(
        '<?xml version="1.0"?>\n<log>\n<objects>\n<object id="o1" type="order"/>\n</objects>\n'
        "<events>\n"
        '<event id="e1" type="place" time="2024-05-01T10:00:00Z">'
        '<objects><relationship object-id="o1"/></objects></event>\n'
        '<event type="place" time="2024-05-01T11:00:00Z">'
        '<objects><relationship object-id="o1"/></objects></event>\n'
        "</events>\n</log>\n",
        encoding="utf-8",
    )
    events = read_log(log)
    assert events.bad == {"an <event> with no id": 1}
    assert str(events.examples[0].location) == f"{log}:8:1"


def test_ocel_sqlite_rows_with_null_ids_are_counted(tmp_path: Path) -> None:
    log = tmp_path / "log.sqlite"
    con = sqlite_log(log)
    con.executescript(
        "INSERT INTO event VALUES (NULL, 'place'); "
        "INSERT INTO event_object VALUES (NULL, 'o1', '');"
    )
    con.commit()
    con.close()
    events = read_log(log)
    assert events.events == 2
    assert events.bad == {
        "an event row with no ocel_id": 1,
        "an event_object row with no ocel_event_id or ocel_object_id": 1,
    }
    assert sorted(b.location.line for b in events.examples) == [3, 3]


# 18: a 50 MB line dropped without a word -----------------------------------------


def test_a_line_duckdb_drops_without_a_word_is_a_bad_row(tmp_path: Path) -> None:
    # DuckDB reports a 20 MB line and drops a 50 MB one unsaid: whatever it does,
    # every line over the limit is a bad row at its line.
    log = tmp_path / "huge.csv"
    log.write_text(
        HEADER + ROW * 3 + "c2," + "x" * (50 << 20) + ",1714557600\n" + ROW, encoding="utf-8"
    )
    events = read_log(log)
    assert events.events == 4
    assert events.bad == {MALFORMED: 1}
    assert str(events.examples[0].location) == f"{log}:5:1"
    assert events.examples[0].reason == (
        f"{MALFORMED}: a line of 52,428,814 bytes, over the limit of 2,000,000 bytes "
        "(--limit value=N raises the limit of 2,000,000 bytes)"
    )


# 27a, 27: the header is the line that names the columns ---------------------------


def test_one_short_row_in_the_sample_is_a_bad_row_and_the_rest_read(tmp_path: Path) -> None:
    log = tmp_path / "s.csv"
    log.write_text(HEADER + "c1,a,2026-01-01\nc1,b,2026-01-02\nc2,a\n", encoding="utf-8")
    events = read_log(log)
    assert events.events == 2
    assert events.bad == {MALFORMED: 1}
    assert str(events.examples[0].location).startswith(f"{log}:4:")


def test_comment_lines_above_the_header_are_skipped(tmp_path: Path) -> None:
    log = tmp_path / "c.csv"
    # Comment lines of as many cells as the header's fooled the sniffer into taking
    # the first comment for the header.
    log.write_text("# a,b,c\n# d,e,f\n" + HEADER + ROW * 3, encoding="utf-8")
    events = read_log(log)
    assert (events.events, events.bad) == (3, {})
    assert events.lines_of([1]) == {1: 4}


def test_an_escape_in_a_header_cell_does_not_make_the_header_one_column(tmp_path: Path) -> None:
    # Alone in a cell the rows do not fill, the escape sequence made the sniffer choose
    # "|" as the delimiter: one column, and "no column 'case_id'". The header is read
    # as the line naming the columns, and the rows are bad rows that say what is wrong.
    log = tmp_path / "esc.csv"
    log.write_text("case_id,touchpoint,timestamp,\x1b[2J\n" + ROW * 2)
    events = read_log(log)
    assert events.bad == {MALFORMED: 2}
    assert str(events.examples[0]) == (
        f"{log}:2:3: {MALFORMED}: Expected Number of Columns: 4 Found: 3"
    )


def test_no_line_naming_the_columns_says_which_line_was_the_header(tmp_path: Path) -> None:
    log = tmp_path / "preamble.csv"
    log.write_text("a,b,c\n" + ROW * 3, encoding="utf-8")
    code, _, err = run("discover", log)
    assert code == ExitCode.ERROR
    assert "line 1 was read as the header" in err
    assert "remove the lines above it" in err


# 27b: messages that would list every column ---------------------------------------


def test_a_log_of_very_many_columns_lists_a_few_and_counts_the_rest(tmp_path: Path) -> None:
    log = tmp_path / "wide.csv"
    names = [f"col{k}" for k in range(5_000)]
    log.write_text(",".join(names) + "\n" + ",".join("x" for _ in names) + "\n")
    code, _, err = run("discover", log)
    assert code == ExitCode.ERROR
    assert "and 4,980 more" in err
    assert "col4999" not in err
    assert len(err) < 5_000


def test_a_header_line_of_a_huge_cell_is_read(tmp_path: Path) -> None:
    import csv

    log = tmp_path / "wide-cell.csv"
    log.write_text(HEADER.strip() + ",note" + "x" * 200_000 + "\n" + ROW.strip() + ",x\n")
    before = csv.field_size_limit()
    assert read_log(log).events == 1
    log.write_text("n" * 300_000 + "\n" + ROW)
    code, _, err = run("discover", log)
    assert code == ExitCode.ERROR
    assert "no column 'case_id'" in err
    assert csv.field_size_limit() == before


# 15, 16: DuckDB out of memory and interrupted ---------------------------------------


def test_duckdb_out_of_memory_says_the_log_needs_more_memory(tmp_path: Path) -> None:
    import duckdb

    log = tmp_path / "log.csv"
    log.write_text(HEADER + "".join(f"c{k},tp{k},{1714557600 + k}\n" for k in range(200_000)))
    con = duckdb.connect()
    con.execute("SET memory_limit = '8MB'")
    con.execute("SET threads = 1")
    with pytest.raises(JourneyGraphError) as caught:
        read_log(log, connection=con)
    message = str(caught.value)
    assert message.startswith(f"{log}: the log (")
    assert "MB) needs more memory than is available" in message
    assert "SET memory_limit" not in message  # DuckDB's tuning advice is not the user's


def test_an_interrupted_duckdb_query_is_a_keyboard_interrupt(tmp_path: Path) -> None:
    import threading

    import duckdb

    from journeygraph.evidence.reading.session import duckdb_errors

    con = duckdb.connect()
    threading.Timer(0.3, con.interrupt).start()
    with pytest.raises(KeyboardInterrupt), duckdb_errors(tmp_path / "log.csv"):
        con.execute(
            "SELECT count(*) FROM range(10000000000) a, range(10) b "
            "WHERE (a.range * b.range) % 7 = 3"
        ).fetchall()
    # Ctrl-C (SIGINT) while a query runs: DuckDB's Python client raises this instead
    # (measured: `discover` of a 1M-touchpoint log, SIGINT after 2 s, gave "internal
    # error (RuntimeError: Query interrupted)" and exit 3; now exit 130, one line).
    with pytest.raises(KeyboardInterrupt), duckdb_errors(tmp_path / "log.csv"):
        raise RuntimeError("Query interrupted")
    with pytest.raises(RuntimeError, match="other"), duckdb_errors(tmp_path / "log.csv"):
        raise RuntimeError("other")


# 27c: XES lifecycles and classifiers ----------------------------------------------


def lifecycle(value: str) -> str:
    return f'<string key="lifecycle:transition" value="{value}"/>'


def test_an_xes_log_with_no_complete_event_keeps_every_event_and_says_so(tmp_path: Path) -> None:
    log = tmp_path / "states.xes"
    log.write_text(
        xes(
            trace(
                "c1",
                event("ad", 0, lifecycle("In Progress")),
                event("shop", 1, lifecycle("Resolved")),
            )
        )
    )
    events = read_log(log)
    assert events.events == 2
    assert events.bad == {}
    assert "no events whose lifecycle:transition is 'complete'" in events.notes[0]
    code, _, err = run("discover", log)
    assert code == ExitCode.OK
    assert "every event is kept" in err


def test_an_xes_classifier_names_the_touchpoints(tmp_path: Path) -> None:
    log = tmp_path / "classified.xes"
    body = xes(
        trace("c1", event("ad", 0, lifecycle("start")), event("ad", 1, lifecycle("complete")))
    )
    body = body.replace(
        "<trace>",
        '<classifier name="Activity classifier" keys="concept:name lifecycle:transition"/>\n'
        "<trace>",
        1,
    )
    log.write_text(body)
    events = read_log(log, lifecycle="all", classifier="Activity classifier")
    names = [n for (n,) in events.connection.execute("SELECT touchpoint FROM events").fetchall()]
    assert names == ["ad+start", "ad+complete"]
    with pytest.raises(LogError, match=r"declares no classifier 'Other'.*'Activity classifier'"):
        read_log(log, classifier="Other")


def shared_log(name: str) -> Path:
    """A real log of the shared data beside the clone; in CI its absence is a failure."""
    import os

    from tests.conftest import ROOT

    path = ROOT.parent / "shared" / "data" / name
    if not path.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"{path} is missing: CI keeps a copy of shared/ beside the clone")
        pytest.skip(f"{path} is not here (CI has it)")
    return path


def test_a_real_log_of_states_not_complete_reads_as_it_would_with_every_event(
    tmp_path: Path,
) -> None:
    # The Helpdesk log (CC BY 4.0), its events given the lifecycle states of a ticketing
    # system as BPI Challenge logs give them: by default every event is kept (there is
    # no complete one) and the directly-follows graph is that of the log itself.
    from journeygraph.evidence import discover

    source = shared_log("helpdesk.xes.gz")
    text = gzip.decompress(source.read_bytes()).decode("utf-8")
    states = iter(["In Progress", "Awaiting Assignment", "Resolved"] * 10_000)
    parts = text.split("<event>")
    text = parts[0] + "".join(
        f'<event><string key="lifecycle:transition" value="{next(states)}"/>' + part
        for part in parts[1:]
    )
    log = tmp_path / "states.xes.gz"
    log.write_bytes(gzip.compress(text.encode("utf-8")))
    original = discover(read_log(source))
    states_read = read_log(log)
    assert states_read.bad == {}
    assert states_read.notes
    flow = discover(states_read)
    assert (flow.events, flow.cases) == (21_348, 4_580)
    assert {k: v.transitions for k, v in flow.transitions.items()} == {
        k: v.transitions for k, v in original.transitions.items()
    }
    assert len(flow.transitions) == 55  # PM4Py's directly-follows graph of the log


def test_when_every_row_is_left_out_the_message_says_why(tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_text(HEADER + "c1,ad,soon\nc1,shop,later\n", encoding="utf-8")
    code, _, err = run("discover", log)
    assert code == ExitCode.ERROR
    assert (
        f"{log}: no usable events: every row was left out (2 time is not ISO 8601 or epoch "
        "seconds/milliseconds)"
    ) in err


# 24: logs of very many touchpoints, or very long cases ------------------------------


def test_discovery_keeps_the_top_touchpoints_and_counts_the_rest(tmp_path: Path) -> None:
    from journeygraph.evidence import discover

    log = tmp_path / "many.csv"
    # a: 4 events, b: 3, c: 2, d and e: 1 each
    steps = ["c1,a", "c1,b", "c1,c", "c2,a", "c2,b", "c2,c", "c3,a", "c3,b", "c3,d", "c4,a", "c4,e"]
    log.write_text(HEADER + "".join(f"{step},{1714557600 + k}\n" for k, step in enumerate(steps)))
    flow = discover(read_log(log, limits=LogLimits(touchpoints=2, transitions=10)))
    assert list(flow.touchpoints) == ["a", "b"]
    assert flow.touchpoints_left_out == 3
    assert set(flow.transitions) == {("a", "b")}  # only between touchpoints kept
    assert flow.transitions_left_out == 3  # b->c, b->d and a->e
    assert flow.events == 11  # every event counts in the totals
    code, out, _ = run("discover", log, "--limit", "touchpoints=2", "-f", "json")
    assert code == ExitCode.OK
    assert json.loads(out)["touchpoints_left_out"] == 3


def test_a_case_of_very_many_events_shows_its_path_cut_with_a_count(tmp_path: Path) -> None:
    from journeygraph.evidence import discover

    log = tmp_path / "long.csv"
    log.write_text(HEADER + "".join(f"c1,tp{k % 7},{1714557600 + k}\n" for k in range(250)))
    (variant,) = discover(read_log(log)).variants
    assert len(variant.path) == 101
    assert variant.path[-1] == "… 150 more steps"


def test_names_of_touchpoints_past_the_limit_are_bad_rows(tmp_path: Path) -> None:
    log = tmp_path / "names.csv"
    log.write_text(HEADER + f"c1,{'x' * 1_001},1714557600\n" + "c1,ad,1714557601\n")
    events = read_log(log)
    assert events.events == 1
    assert str(events.examples[0]).startswith(f"{log}:2:2: a touchpoint, performer or stage name")


# 26: a names file of very many problems ---------------------------------------------


def test_a_names_file_of_many_problems_shows_the_first_and_counts_the_rest(
    tmp_path: Path,
) -> None:
    from tests.conftest import EXAMPLES

    names = tmp_path / "names.csv"
    names.write_text("log_name,touchpoint\n" + "".join(f"n{k},nope{k}\n" for k in range(500)))
    code, _, err = run(
        "discover", EXAMPLES / "b2b-saas-events.csv", "--map", EXAMPLES / "b2b-saas.yaml",
        "--names", names,
    )  # fmt: skip
    assert code == ExitCode.ERROR
    assert err.count("the map has no touchpoint") == 20
    assert f"{names}:22:2: 480 more problems from here on; fix these first" in err
    assert err.index("the map has no touchpoint 'nope19'") < err.index("480 more problems")


def test_a_sigterm_after_the_read_removes_the_spill_folder(tmp_path: Path) -> None:
    import os
    import signal
    import subprocess
    import sys

    log = tmp_path / "log.csv"
    log.write_text(HEADER + ROW)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch)}
    # Read the log, say so, then wait (as discovery or an output would take time).
    code = (
        "import sys, time; from journeygraph.evidence import read_log; "
        "read_log(sys.argv[1]); print('read', flush=True); time.sleep(60)"
    )
    with subprocess.Popen(
        [sys.executable, "-c", code, str(log)], env=env, stdout=subprocess.PIPE, text=True
    ) as process:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "read"
        assert [p.name[:19] for p in scratch.iterdir()] == ["journeygraph-spill-"]
        process.send_signal(signal.SIGTERM)
        assert process.wait(30) == -signal.SIGTERM
    assert list(scratch.iterdir()) == []


@pytest.mark.parametrize(
    "command",
    [
        ["render", "MAP", "--log", "LOG", "-o", "OUT.svg"],
        ["report", "MAP", "--log", "LOG", "-o", "OUT"],
        ["actions", "MAP", "--log", "LOG"],
    ],
)
def test_every_command_given_a_log_takes_its_limits(command: list[str], tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from journeygraph.cli import ExitCode, app
    from tests.conftest import EXAMPLES

    swap = {
        "MAP": str(EXAMPLES / "b2b-saas.yaml"),
        "LOG": str(EXAMPLES / "b2b-saas-events.csv"),
        "OUT.svg": str(tmp_path / "flow.svg"),
        "OUT": str(tmp_path / "report"),
    }
    args = [swap.get(a, a) for a in command]
    runner = CliRunner()
    wrong = runner.invoke(app, [*args, "--limit", "bogus=1"])
    assert wrong.exit_code == ExitCode.ERROR
    assert "--limit 'bogus=1': write NAME=VALUE" in wrong.stderr
    # Every touchpoint name of the example is longer than 3 characters: no row is kept.
    tight = runner.invoke(app, [*args, "--limit", "name=3"])
    assert tight.exit_code == ExitCode.ERROR
    assert "no usable events: every row was left out" in tight.stderr


@pytest.mark.parametrize("gzipped", [False, True])
def test_long_lines_are_those_a_line_by_line_count_finds(tmp_path: Path, gzipped: bool) -> None:
    import random

    from journeygraph.evidence.reading.guard import long_lines

    rng = random.Random(7)
    for round_ in range(30):
        value = rng.choice([1, 2, 5, 16, 40])
        lengths = [0, 1, value - 1, value, value + 1, 3 * value, rng.randrange(90)]
        lines = [b"x" * rng.choice(lengths) for _ in range(rng.randrange(1, 40))]
        text = b"\n".join(lines) + (b"\n" if rng.random() < 0.5 else b"")
        file = tmp_path / f"log{round_}.csv{'.gz' if gzipped else ''}"
        file.write_bytes(gzip.compress(text) if gzipped else text)
        limits = LogLimits(value=value)
        expected = {
            n: len(line) for n, line in enumerate(text.split(b"\n"), 1) if len(line) > value
        }
        assert long_lines(file, limits) == expected, (value, text)
