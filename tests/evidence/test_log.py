"""Reading event logs: formats, times, order, bad rows, column names."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import duckdb
import pytest

from journeygraph.evidence import Columns, discover, read_log
from journeygraph.exceptions import JourneyGraphError, MapError
from tests.conftest import EXAMPLES

HEADER = "case_id,touchpoint,timestamp\n"


def _log(tmp_path: Path, body: str, name: str = "events.csv", header: str = HEADER) -> Path:
    path = tmp_path / name
    path.write_text(header + body, encoding="utf-8")
    return path


def _steps(path: Path, **options: object) -> dict[str, list[str]]:
    flow = discover(read_log(path, **options))  # type: ignore[arg-type]
    rows = flow.log.connection.execute(
        "SELECT e.case_id, s.touchpoint, s.next_touchpoint, s.seq = s.case_no "
        "FROM steps s JOIN events e USING (seq) ORDER BY e.case_id, e.ts, s.seq"
    ).fetchall()
    out: dict[str, list[str]] = {}
    nexts: dict[str, list[str | None]] = {}
    for case, tp, following, first in rows:
        assert first == (case not in out)
        out.setdefault(case, []).append(tp)
        nexts.setdefault(case, []).append(following)
    # Each step's next touchpoint is the one after it in time, ties in file order.
    for case, tps in out.items():
        assert nexts[case] == [*tps[1:], None]
    return out


def test_unsorted_rows_are_ordered_by_time_and_ties_keep_file_order(tmp_path: Path) -> None:
    path = _log(
        tmp_path,
        "c2,pay,2024-05-01T10:02:00Z\n"
        "c1,shop,2024-05-01T10:05:00Z\n"
        "c1,ad,2024-05-01T10:00:00Z\n"
        "c2,ad,2024-05-01T10:00:00Z\n"
        "c1,chat,2024-05-01T10:05:00Z\n"  # same time as shop, later in the file
        "c2,shop,2024-05-01T10:00:00Z\n",  # same time as c2's ad, later in the file
    )
    assert _steps(path) == {"c1": ["ad", "shop", "chat"], "c2": ["ad", "shop", "pay"]}


def test_times_iso_with_offsets_and_epoch_seconds_or_milliseconds(tmp_path: Path) -> None:
    path = _log(
        tmp_path,
        "c1,a,2024-05-01T12:00:00+02:00\n"  # 10:00 UTC
        "c1,b,1714557660\n"  # 10:01 UTC
        "c1,c,1714557720000\n"  # 10:02 UTC, in ms
        "c1,d,2024-05-01 10:03:00\n",  # no zone: UTC
    )
    flow = discover(read_log(path))
    assert _steps(path) == {"c1": ["a", "b", "c", "d"]}
    assert {ab: s.median_seconds for ab, s in flow.transitions.items()} == {
        ("a", "b"): 60.0,
        ("b", "c"): 60.0,
        ("c", "d"): 60.0,
    }
    # The same log starting with an epoch time: read the same way.
    epoch_first = _log(
        tmp_path,
        "c1,b,1714557660\nc1,a,2024-05-01T12:00:00+02:00\n"
        "c1,d,2024-05-01 10:03:00\nc1,c,1714557720000\n",
        name="epoch-first.csv",
    )
    assert discover(read_log(epoch_first)).transitions == flow.transitions


def test_ties_keep_file_order_in_a_large_log(tmp_path: Path) -> None:
    # 300,000 rows at one time in one case: the sort is not stable at this size,
    # so only the row's place in the file gives a0 -> a1 -> a2 -> a0 ...
    rows = "".join(f"c,a{i % 3},1\n" for i in range(300_000))
    flow = discover(read_log(_log(tmp_path, rows)))
    assert {ab: s.transitions for ab, s in flow.transitions.items()} == {
        ("a0", "a1"): 100_000,
        ("a1", "a2"): 100_000,
        ("a2", "a0"): 99_999,
    }


def test_bad_rows_are_counted_with_examples_never_dropped_silently(tmp_path: Path) -> None:
    path = _log(
        tmp_path,
        "c1,ad,1\n,shop,2\nc2,,3\nc3,ad,\nc4,ad,yesterday\nc5,ad,5\n",
    )
    log = read_log(path)
    assert log.events == 2
    assert log.bad == {
        "no case id": 1,
        "no touchpoint": 1,
        "no time": 1,
        "time is not ISO 8601 or epoch seconds/milliseconds": 1,
    }
    assert [str(b) for b in log.examples] == [
        f"{path}:3:1: no case id",
        f"{path}:4:2: no touchpoint",
        f"{path}:5:3: no time",
        f"{path}:6:3: time is not ISO 8601 or epoch seconds/milliseconds: 'yesterday'",
    ]


def test_strict_turns_bad_rows_into_errors_at_file_line_column(tmp_path: Path) -> None:
    path = _log(tmp_path, "c1,ad,1\nc2,ad,31/02/2024\n")
    with pytest.raises(MapError) as caught:
        read_log(path, strict=True)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:3:3: time is not ISO 8601 or epoch seconds/milliseconds: '31/02/2024'"
    ]


def test_single_event_cases_start_and_end_at_once(tmp_path: Path) -> None:
    flow = discover(read_log(_log(tmp_path, "c1,ad,1\nc2,ad,2\nc2,shop,3\n")))
    ad = flow.touchpoints["ad"]
    assert (ad.events, ad.customers, ad.starts, ad.ends) == (2, 2, 2, 1)
    assert flow.transitions[("ad", "shop")].transitions == 1


def test_unicode_names_and_any_column_names(tmp_path: Path) -> None:
    path = _log(
        tmp_path,
        "kündin-1,Café « crème »,2024-01-01T00:00:00Z\nkündin-1,支払い,2024-01-01T00:00:05Z\n",
        header="Kunde,Schritt,Zeit\n",
    )
    flow = discover(read_log(path, columns=Columns("Kunde", "Schritt", "Zeit")))
    assert list(flow.transitions) == [("Café « crème »", "支払い")]


def test_a_missing_column_is_named_with_a_suggestion(tmp_path: Path) -> None:
    path = _log(tmp_path, "c1,ad,1\n", header="case,touchpoint,timestamp\n")
    with pytest.raises(MapError) as caught:
        read_log(path)
    (problem,) = caught.value.problems
    assert str(problem) == (
        f"{path}: no column 'case_id' (given by --case or its default); did you mean 'case'?"
    )


def test_gzip_and_parquet(tmp_path: Path) -> None:
    body = "c1,ad,1\nc1,shop,2\n"
    gz = tmp_path / "events.csv.gz"
    gz.write_bytes(gzip.compress((HEADER + body).encode()))
    parquet = tmp_path / "events.parquet"
    duckdb.sql(
        f"COPY (SELECT * FROM read_csv('{_log(tmp_path, body)}')) TO '{parquet}' (FORMAT parquet)"
    )
    for path in (gz, parquet):
        assert list(discover(read_log(path)).transitions) == [("ad", "shop")]


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("semicolons.csv", 'case_id;touchpoint;timestamp\r\nc1;"ad; paid";1\r\nc1;shop;2\r\n'),
        ("tabs.tsv", "case_id\ttouchpoint\ttimestamp\nc1\tad; paid\t1\nc1\tshop\t2\n"),
        ('it\'s "quoted".csv', 'case_id,touchpoint,timestamp\nc1,"ad; paid",1\nc1,shop,2\n'),
    ],
)
def test_dialects_and_file_names(tmp_path: Path, name: str, text: str) -> None:
    path = tmp_path / name
    path.write_bytes(text.encode())
    flow = discover(read_log(path))
    assert list(flow.transitions) == [("ad; paid", "shop")]


def test_not_a_log(tmp_path: Path) -> None:
    with pytest.raises(JourneyGraphError, match="no such file"):
        read_log(tmp_path / "missing.csv")
    with pytest.raises(JourneyGraphError, match="is a folder; give the log file in it"):
        read_log(tmp_path)
    (tmp_path / "log.json").write_text("{}", encoding="utf-8")
    with pytest.raises(JourneyGraphError, match="not an event log journeygraph reads"):
        read_log(tmp_path / "log.json")


def test_spaces_around_values_are_trimmed_and_blank_values_are_missing(tmp_path: Path) -> None:
    path = _log(
        tmp_path,
        '" c1",ad ,1\nc1,  shop,2\n"  ",ad,3\nc2,ad,"   "\nc2, a d ,4\n',
    )
    log = read_log(path)
    assert (log.events, log.cases) == (3, 2)
    assert log.bad == {"no case id": 1, "no time": 1}
    assert _steps(path) == {"c1": ["ad", "shop"], "c2": ["a d"]}


def test_duckdb_runs_a_thread_per_idle_core(monkeypatch: pytest.MonkeyPatch) -> None:
    from journeygraph.evidence.reading import session

    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0, 1, 2, 3})
    for load, threads in ((0.0, 4), (1.2, 3), (3.6, 1), (4.0, 1), (21.0, 1)):
        monkeypatch.setattr(os, "getloadavg", lambda load=load: (load, 0.0, 0.0))
        assert session.idle_cores() == threads
        con = session.connect(None)
        assert con.execute("SELECT current_setting('threads')").fetchone() == (threads,)


def test_the_figures_do_not_depend_on_duckdb_s_threads() -> None:
    found = [
        discover(
            read_log(
                EXAMPLES / "b2b-saas-events.csv", connection=duckdb.connect(config={"threads": n})
            )
        ).to_dict()
        for n in (1, 2, 4)
    ]
    assert found[0] == found[1] == found[2]
