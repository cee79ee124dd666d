"""Events in Spark: a session, and the events of a table read where the table is.

`journeygraph.evidence.discovery.spark` computes a log's aggregates from these
events; a log in a file goes to Spark from DuckDB instead (`discover_log_in_spark`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from journeygraph.exceptions import JourneyGraphError, did_you_mean
from journeygraph.extras import optional

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

    from journeygraph.evidence.reading.columns import Columns
    from journeygraph.evidence.reading.limits import LogLimits
    from journeygraph.evidence.reading.log import EventLog


__all__ = [
    "EVENT_COLUMNS",
    "SparkError",
    "SparkEvents",
    "spark_message",
    "spark_session",
    "table_events",
]

EVENT_COLUMNS = ("case_id", "touchpoint", "ts", "seq", "performer", "stage")
"""The columns Spark is handed, as the ``events`` view has them."""


class SparkError(JourneyGraphError):
    """Spark could not start or could not run a query: one line saying what to check."""


@dataclass(frozen=True)
class SparkEvents:
    """Where Spark reads the events, and what the reader learnt about them."""

    frame: DataFrame
    performers: bool
    stages: bool


def spark_session(master: str | None = None) -> SparkSession:
    """A Spark session: the one ``spark-submit`` made, else one at ``master``.

    Without ``master`` the session is whatever Spark's own configuration says
    (``spark-submit --master``, ``spark-defaults.conf``, or ``local[*]``).

    Raises
    ------
    SparkError
        Java is missing, or the master cannot be reached.
    MissingExtraError
        PySpark is not installed.

    Examples
    --------
    Not run here (it starts a JVM)::

        spark_session("no-such-master")
        # SparkError: Spark could not start at no-such-master (...); check --spark-master, ...
    """
    # Without PySpark: MissingExtraError, which names the extra to install.
    builder: Any = optional("pyspark.sql").SparkSession.builder.appName("journeygraph")
    if master is not None:
        builder = builder.master(master)
    if master is not None and master.startswith("local"):
        # Spark's default of 200 shuffle partitions is for a cluster: on one machine each
        # query then runs 200 small tasks (the example log: 248 s instead of 55 s).
        builder = builder.config("spark.sql.shuffle.partitions", str(_local_cores(master)))
    if master is None or master.startswith("local"):
        # A session on this machine would make its warehouse folder in the user's working
        # folder: journeygraph writes nothing there it was not asked to.
        import atexit
        import shutil
        import tempfile

        warehouse = tempfile.mkdtemp(prefix="journeygraph-spark-")
        atexit.register(shutil.rmtree, warehouse, True)
        builder = builder.config("spark.sql.warehouse.dir", warehouse)
    # No web UI, and no progress bar drawn on stderr between our own messages.
    builder = (
        builder.config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")
    )
    try:
        session: SparkSession = builder.getOrCreate()
    except Exception as err:  # Py4J, PySpark and Java all raise their own kinds
        where = f" at {master}" if master else ""
        raise SparkError(
            f"Spark could not start{where} ({spark_message(err)}); check --spark-master, and "
            "that Java 17 or later is installed (JAVA_HOME)"
        ) from None
    session.sparkContext.setLogLevel("ERROR")
    return session


def _local_cores(master: str) -> int:
    """The cores a ``local``, ``local[N]`` or ``local[*]`` master runs on.

    Examples
    --------
    >>> _local_cores("local[3]"), _local_cores("local[2, 4]")
    (3, 2)
    """
    inside = master.partition("[")[2].split(",")[0].strip(" ]")
    return int(inside) if inside.isdigit() else os.cpu_count() or 1


def spark_message(error: BaseException) -> str:
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return lines[0][:300] if lines else type(error).__name__


def table_events(
    spark: SparkSession, table: str, columns: Columns, *, limits: LogLimits | None = None
) -> tuple[SparkEvents, EventLog]:
    """The events of a Spark table (``db.events``, a Delta or Parquet table), and what
    they count, read where they are.

    A time column of timestamps is used as it is; numbers are epoch seconds (or
    milliseconds, when too large to be seconds, as the file reader takes them); text
    is ISO 8601. Timestamps become epoch seconds in Spark, which rounds some
    microseconds to a double one bit away from DuckDB's ``epoch()``: times then
    agree to the microsecond, not to the bit. Rows without a case, a touchpoint or a
    readable time are counted as left out. A table has no order, so events at the
    same time are ordered by Spark's row ids.

    Examples
    --------
    Not run here (it starts a JVM)::

        events, log = table_events(spark, "lake.events", Columns())
    """
    from pyspark.sql import functions
    from pyspark.sql.types import NumericType, TimestampNTZType, TimestampType

    from journeygraph.evidence.reading.duckdb_engine import duckdb
    from journeygraph.evidence.reading.limits import LogLimits
    from journeygraph.evidence.reading.log import EventLog

    try:
        frame = spark.table(table)
    except Exception as err:
        raise SparkError(f"{table}: Spark cannot read the table ({spark_message(err)})") from None
    _check_columns(table, frame.columns, columns)
    kind = frame.schema[columns.time].dataType
    time = functions.col(columns.time)
    if isinstance(kind, TimestampType | TimestampNTZType):
        ts = functions.unix_micros(time.cast("timestamp")) / 1e6
    elif isinstance(kind, NumericType):
        number = time.cast("double")
        ts = functions.when(functions.abs(number) >= 1e11, number / 1000).otherwise(number)
    else:
        ts = functions.unix_micros(functions.to_timestamp(time.cast("string"))) / 1e6

    def text(name: str | None) -> Any:
        return (
            functions.lit(None).cast("string")
            if name is None
            else functions.col(name).cast("string")
        )

    rows = frame.select(
        text(columns.case).alias("case_id"),
        text(columns.touchpoint).alias("touchpoint"),
        ts.alias("ts"),
        (functions.monotonically_increasing_id() + 1).alias("seq"),
        text(columns.performer).alias("performer"),
        text(columns.stage).alias("stage"),
    )
    usable = rows.where("case_id IS NOT NULL AND touchpoint IS NOT NULL AND ts IS NOT NULL")
    counts = usable.agg(
        functions.count(functions.lit(1)),
        functions.countDistinct("case_id"),
        functions.count("performer"),
        functions.count("stage"),
    ).collect()[0]
    left_out = frame.count() - int(counts[0])
    log = EventLog(
        duckdb.connect(),
        table,
        int(counts[0]),
        int(counts[1]),
        bad={"rows without a case, touchpoint or readable time": left_out} if left_out else {},
        performers=bool(counts[2]),
        stages=bool(counts[3]),
        limits=limits or LogLimits(),
    )
    return SparkEvents(usable, log.performers, log.stages), log


def _check_columns(table: str, known: list[str], columns: Columns) -> None:
    """Raise naming the first column of ``columns`` the table lacks."""
    for option, name in (
        ("--case", columns.case),
        ("--touchpoint", columns.touchpoint),
        ("--time", columns.time),
        ("--performer", columns.performer),
        ("--stage", columns.stage),
    ):
        if name is not None and name not in known:
            raise SparkError(
                f"{table}: no column {name!r} ({option}); the table has "
                f"{', '.join(known)}{did_you_mean(name, known)}"
            )
