"""The log's aggregates computed inside Spark equal DuckDB's, exactly, on every shipped log.

One local Spark session (``local[1]``) serves the module; the failures to start
run in their own process, since a JVM, once up, stays up for the process.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import zlib
from collections.abc import Iterator
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from journeygraph.cli import ExitCode, app
from journeygraph.evidence.discovery.flow import ObservedFlow, discover
from journeygraph.evidence.discovery.spark import discover_log_in_spark, discover_table
from journeygraph.evidence.reading.columns import Columns
from journeygraph.evidence.reading.limits import LogLimits
from journeygraph.evidence.reading.log import read_log
from journeygraph.evidence.reading.spark_table import spark_session
from journeygraph.extras import MissingExtraError
from tests.conftest import EXAMPLES, ROOT

# One worker runs them all (--dist loadgroup): one Spark session, not one a worker.
pytestmark = [pytest.mark.spark, pytest.mark.xdist_group("spark-session")]

CSV_LOG = EXAMPLES / "b2b-saas-events.csv"
XES_LOG = EXAMPLES / "helpdesk.xes.gz"


@pytest.fixture(scope="module")
def spark() -> Iterator[object]:
    session = spark_session("local[1]")
    assert session.conf.get("spark.sql.shuffle.partitions") == "1"
    # Its warehouse is a folder of its own, not one in the user's working folder.
    warehouse = session.conf.get("spark.sql.warehouse.dir") or ""
    assert "journeygraph-spark-" in warehouse
    assert Path.cwd().as_uri() not in warehouse
    yield session
    session.stop()


@pytest.fixture(scope="module")
def generated_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A BPI-style log from the generator: shuffled rows, with a performer and a stage
    per event (drawn from the case and the touchpoint, so handovers happen)."""
    folder = tmp_path_factory.mktemp("generated")
    plain = folder / "plain.csv"
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "generate_events.py"),
            str(EXAMPLES / "b2b-saas.yaml"),
            "400",
            str(plain),
            "--shuffle",
        ],
        check=True,
        timeout=60,
    )
    log = folder / "events.csv"
    with plain.open(encoding="utf-8") as given, log.open("w", encoding="utf-8") as made:
        rows = csv.DictReader(given)
        out = csv.writer(made)
        out.writerow(["case_id", "touchpoint", "timestamp", "resource", "phase"])
        for row in rows:
            mark = zlib.crc32(f"{row['case_id']}/{row['touchpoint']}".encode())
            out.writerow(
                [
                    row["case_id"],
                    row["touchpoint"],
                    row["timestamp"],
                    f"agent-{mark % 4}" if mark % 7 else "",
                    f"phase-{len(row['touchpoint']) % 3}",
                ]
            )
    return log


def _aggregates(flow: ObservedFlow) -> dict[str, object]:
    return {f.name: getattr(flow, f.name) for f in fields(flow) if f.name != "log"}


def _both(spark: object, path: Path, **options: object) -> tuple[dict[str, object], ...]:
    duck = discover(read_log(path, **options))  # type: ignore[arg-type]
    in_spark = discover_log_in_spark(spark, read_log(path, **options))  # type: ignore[arg-type]
    return _aggregates(duck), _aggregates(in_spark)


def test_the_example_csv_log(spark: object) -> None:
    duck, in_spark = _both(spark, CSV_LOG)
    assert duck["transitions"]
    assert duck["variants"]
    assert in_spark == duck


def test_the_example_xes_log_with_performers(spark: object) -> None:
    duck, in_spark = _both(spark, XES_LOG)
    assert duck["handovers"]
    assert duck["performers"]
    assert in_spark == duck


def test_a_generated_log_with_performers_and_stages(spark: object, generated_log: Path) -> None:
    columns = Columns(performer="resource", stage="phase")
    duck, in_spark = _both(spark, generated_log, columns=columns)
    assert duck["handovers"]
    assert duck["stages"]
    assert duck["stage_events"]
    assert in_spark == duck


def test_past_the_limits_the_same_touchpoints_and_transitions_are_kept(
    spark: object, generated_log: Path
) -> None:
    limits = LogLimits(touchpoints=6, transitions=9)
    columns = Columns(performer="resource", stage="phase")
    duck, in_spark = _both(spark, generated_log, columns=columns, limits=limits)
    assert duck["touchpoints_left_out"]
    assert duck["transitions_left_out"]
    assert in_spark == duck


def test_the_command_gives_the_same_json_with_either_engine(spark: object) -> None:
    def json_of(*engine: str) -> object:
        result = CliRunner().invoke(app, ["discover", str(XES_LOG), "-f", "json", *engine])
        assert result.exit_code == ExitCode.OK, result.stderr
        return json.loads(result.stdout)

    assert json_of("--engine", "spark") == json_of()


def test_spark_with_a_map_says_it_is_not_yet_done() -> None:
    result = CliRunner().invoke(
        app,
        ["discover", str(CSV_LOG), "--engine", "spark", "--map", str(EXAMPLES / "b2b-saas.yaml")],
    )
    assert result.exit_code == ExitCode.ERROR
    assert "--engine spark computes the log's aggregates without a map" in result.stderr


def _discover_in_process(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "journeygraph",
            "discover",
            str(CSV_LOG),
            "--engine",
            "spark",
            *args,
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=90,
    )


def test_a_bad_master_is_one_message() -> None:
    done = _discover_in_process(dict(os.environ), "--spark-master", "nowhere://at-all")
    assert done.returncode == ExitCode.ERROR
    assert "Spark could not start at nowhere://at-all" in done.stderr
    assert "check --spark-master" in done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout == ""


def test_no_java_is_one_message(tmp_path: Path) -> None:
    env = {**os.environ, "JAVA_HOME": str(tmp_path / "no-java")}
    done = _discover_in_process(env, "--spark-master", "local[1]")
    assert done.returncode == ExitCode.ERROR
    assert "Spark could not start" in done.stderr
    assert "JAVA_HOME" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_interpolation_is_duckdbs_to_the_last_bit() -> None:
    import random

    import duckdb

    from journeygraph.evidence.discovery.spark import QUANTILES, _interpolated

    draw = random.Random(30)
    con = duckdb.connect()
    for _ in range(300):
        values = sorted(draw.lognormvariate(10, 2) for _ in range(draw.randint(1, 200)))
        expected = con.execute(
            "SELECT quantile_cont(v, ?) FROM (SELECT unnest(?) AS v)", [list(QUANTILES), values]
        ).fetchone()
        assert expected is not None
        at = dict(enumerate(values, start=1))
        assert list(_interpolated(len(values), at)) == expected[0]


def test_a_spark_table_with_epoch_seconds_is_read_where_it_is(spark: Any, tmp_path: Path) -> None:
    read = read_log(CSV_LOG)
    parquet = tmp_path / "lake.parquet"
    read.connection.execute(
        "COPY (SELECT case_id AS customer, touchpoint AS step, ts AS at FROM events "
        f"ORDER BY seq) TO '{parquet}' (FORMAT PARQUET)"
    )
    spark.read.parquet(str(parquet)).coalesce(1).createOrReplaceTempView("lake_epoch")
    flow = discover_table(spark, "lake_epoch", Columns("customer", "step", "at"))
    assert flow.log.file == "lake_epoch"
    assert _aggregates(flow) == _aggregates(discover(read))


def _to_the_millisecond(flow: ObservedFlow) -> dict[str, object]:
    """The aggregates with times rounded: Spark's timestamp to epoch seconds and
    DuckDB's ``epoch()`` round some microseconds to different doubles (one ulp)."""
    found = _aggregates(flow)
    found["transitions"] = {
        ab: replace(
            s, median_seconds=round(s.median_seconds, 3), p90_seconds=round(s.p90_seconds, 3)
        )
        for ab, s in flow.transitions.items()
    }
    e = flow.end_to_end
    found["end_to_end"] = replace(
        e, median_seconds=round(e.median_seconds, 3), p90_seconds=round(e.p90_seconds, 3)
    )
    return found


@pytest.mark.parametrize("time_type", ["string", "timestamp"])
def test_a_spark_table_with_times_is_read_where_it_is(spark: Any, time_type: str) -> None:
    frame = spark.read.option("header", True).csv(str(CSV_LOG))
    frame = frame.withColumn("timestamp", frame["timestamp"].cast(time_type))
    frame.coalesce(1).createOrReplaceTempView("lake_events")
    flow = discover_table(spark, "lake_events", Columns())
    duck = discover(read_log(CSV_LOG))
    assert flow.transitions.keys() == duck.transitions.keys()
    assert _to_the_millisecond(flow) == _to_the_millisecond(duck)


def _lake_csv(spark: Any) -> None:
    """The example log as the table ``lake_csv``, for each test that reads it (on
    several workers, tests of one module need not run in one process)."""
    spark.read.option("header", True).csv(str(CSV_LOG)).createOrReplaceTempView("lake_csv")


def test_the_command_reads_a_table(spark: Any) -> None:
    _lake_csv(spark)
    result = CliRunner().invoke(
        app, ["discover", "lake_csv", "--engine", "spark", "--table", "-f", "json"]
    )
    assert result.exit_code == ExitCode.OK, result.stderr
    data = json.loads(result.stdout)
    assert data["log"]["file"] == "lake_csv"
    assert data["cases"] == 1500


def test_a_table_refuses_what_it_cannot_honour(spark: Any) -> None:
    """--strict, --names and the segment options read a file's rows: refused with a
    table, never ignored."""
    _lake_csv(spark)
    for extra in (["--strict"], ["--since", "2024-01-01"], ["--where", "channel=web"]):
        result = CliRunner().invoke(
            app, ["discover", "lake_csv", "--engine", "spark", "--table", *extra]
        )
        assert result.exit_code == ExitCode.ERROR, extra
        assert "leave out --names, --since, --until, --where and --strict" in result.stderr


def test_a_missing_table_or_column_is_one_message(spark: Any) -> None:
    result = CliRunner().invoke(app, ["discover", "no_such_table", "--engine", "spark", "--table"])
    assert result.exit_code == ExitCode.ERROR
    assert "no_such_table: Spark cannot read the table" in result.stderr
    _lake_csv(spark)
    result = CliRunner().invoke(
        app,
        ["discover", "lake_csv", "--engine", "spark", "--table", "--touchpoint", "touchpont"],
    )
    assert result.exit_code == ExitCode.ERROR
    assert "no column 'touchpont' (--touchpoint)" in result.stderr
    assert "did you mean 'touchpoint'?" in result.stderr


def test_without_pyspark_the_message_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "pyspark", None)
    monkeypatch.setitem(sys.modules, "pyspark.sql", None)
    # The one message of every missing extra (journeygraph.extras), exit 2 on the CLI.
    with pytest.raises(MissingExtraError, match=r"pip install 'journeygraph\[spark\]'"):
        spark_session("local[1]")
