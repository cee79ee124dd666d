"""The log's aggregates computed inside Spark, for logs that live in a data lake.

Spark gets the events as a DataFrame with the columns of the ``events`` view
(`journeygraph.evidence.reading.log`): ``case_id, touchpoint, ts, seq, performer,
stage``, and brings back only the aggregates: per touchpoint, per transition,
per performer and handover, the variants and the end-to-end times. They fill
the same `ObservedFlow` as DuckDB's `journeygraph.evidence.discovery.flow.discover`, so
the same views read them.

Why a second implementation in Spark SQL rather than DuckDB's SQL translated by
SQLGlot: DuckDB's queries lean on what only DuckDB has (an ENUM type for
touchpoints, ``FILTER``, ``GROUP BY ALL``, ``quantile_cont`` over a list, list
slicing, a hashed case key with a fallback), which a translator either rejects
or rewrites into SQL whose cost on Spark nobody has read. The queries below
are the same definitions written for Spark, a handful of them, each pinned to
DuckDB's result by ``tests/evidence/test_spark.py`` on the shipped logs and a
generated one; a change to a definition fails there until both agree.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from journeygraph.evidence.discovery.flow import (
    Handover,
    ObservedFlow,
    TouchpointStats,
    TransitionStats,
    aggregate,
)
from journeygraph.evidence.reading.spark_table import (
    EVENT_COLUMNS,
    SparkError,
    SparkEvents,
    spark_message,
    table_events,
)
from journeygraph.evidence.statistics.throughput import (
    VARIANT_STEPS,
    VARIANTS_KEPT,
    Durations,
    Variant,
    variants_of,
)
from journeygraph.exceptions import JourneyGraphError

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

    from journeygraph.evidence.reading.columns import Columns
    from journeygraph.evidence.reading.limits import LogLimits
    from journeygraph.evidence.reading.log import EventLog


__all__ = ["discover_in_spark", "discover_log_in_spark", "discover_table"]


_EVENTS = "journeygraph_events"


_STEPS = "journeygraph_steps"


_KEPT = "journeygraph_kept"


def discover_in_spark(spark: SparkSession, events: SparkEvents, log: EventLog) -> ObservedFlow:
    """The observed flow graph of ``events``, computed by Spark, as `discover` makes it.

    ``log`` is what the reader said about the events (their file, counts, rows left
    out, limits); only the aggregates come back from Spark.

    Examples
    --------
    Not run here (it starts a JVM)::

        flow = discover_in_spark(spark, SparkEvents(frame, False, False), log)
        flow.transitions[("ad", "shop")].transitions  # 2, as DuckDB counts
    """
    try:
        return _discover(spark, events, log)
    except JourneyGraphError:
        raise
    except Exception as err:  # Spark's errors come through Py4J as many kinds
        raise SparkError(f"{log.file}: Spark failed ({spark_message(err)})") from None


def _discover(spark: SparkSession, events: SparkEvents, log: EventLog) -> ObservedFlow:
    events.frame.select(*EVENT_COLUMNS).createOrReplaceTempView(_EVENTS)
    steps = spark.sql(
        f"""
        SELECT first_value(seq) OVER w AS case_no, touchpoint, seq,
               lead(touchpoint) OVER w AS next_touchpoint, (lead(ts) OVER w) - ts AS gap,
               row_number() OVER w AS place, performer,
               lead(performer) OVER w AS next_performer
        FROM {_EVENTS}
        WINDOW w AS (PARTITION BY case_id ORDER BY ts, seq)
        """
    ).persist()
    try:
        steps.createOrReplaceTempView(_STEPS)
        cases = _one(spark, f"SELECT count(*) FROM {_STEPS} WHERE seq = case_no")
        flow = ObservedFlow(log, cases, log.events)
        aggregate(flow, _InSpark(spark), performers=events.performers, stages=events.stages)
    finally:
        steps.unpersist()
    return flow


@dataclass(frozen=True)
class _InSpark:
    """`Aggregates` run by Spark, over the steps view of the events."""

    spark: SparkSession

    def touchpoint_stats(self, most: int) -> tuple[dict[str, TouchpointStats], int]:
        return _touchpoint_stats(self.spark, most)

    def kept(self, touchpoints: Iterable[str]) -> str | None:
        return _kept(self.spark, touchpoints)

    def transition_stats(
        self, kept: str | None, most: int
    ) -> tuple[dict[tuple[str, str], TransitionStats], int]:
        return _transition_stats(self.spark, kept, most)

    def performers(self, kept: str | None) -> dict[str, list[tuple[str, int]]]:
        return _performers(self.spark, kept)

    def handovers(self, kept: str | None, most: int) -> list[Handover]:
        return _handovers(self.spark, kept, most)

    def stages(self, kept: str | None) -> tuple[list[str], dict[str, list[tuple[str, int]]]]:
        return _stages(self.spark, kept)

    def variants(self, cases: int) -> tuple[list[Variant], int]:
        return _variants(self.spark, cases)

    def end_to_end(self) -> Durations:
        return _end_to_end(self.spark)


def _one(spark: SparkSession, sql: str) -> int:
    row = spark.sql(sql).collect()
    return int(row[0][0]) if row else 0


def _kept(spark: SparkSession, touchpoints: Any) -> str | None:
    """SQL for the touchpoints kept; None when all are."""
    if not touchpoints:
        return None
    spark.createDataFrame(
        [(str(t),) for t in touchpoints], "touchpoint string"
    ).createOrReplaceTempView(_KEPT)
    return f"(SELECT touchpoint FROM {_KEPT})"


def _touchpoint_stats(spark: SparkSession, most: int) -> tuple[dict[str, TouchpointStats], int]:
    rows = spark.sql(
        f"""
        WITH visits AS (
          SELECT touchpoint, count(*) AS customers, count_if(n > 1) AS repeats
          FROM (SELECT touchpoint, case_no, count(*) AS n FROM {_STEPS}
                GROUP BY touchpoint, case_no)
          GROUP BY touchpoint
        ), counts AS (
          SELECT touchpoint, count(*) AS events, count_if(seq = case_no) AS starts,
                 count_if(next_touchpoint IS NULL) AS ends
          FROM {_STEPS} GROUP BY touchpoint
        )
        SELECT touchpoint, events, customers, starts, ends, repeats, count(*) OVER () AS total
        FROM counts JOIN visits USING (touchpoint)
        ORDER BY events DESC, touchpoint
        LIMIT {int(most)}
        """
    ).collect()
    stats = {
        str(tp): TouchpointStats(int(n), int(c), int(s), int(e), int(r))
        for tp, n, c, s, e, r, _ in rows
    }
    return stats, int(rows[0][-1]) if rows else 0


def _transition_stats(
    spark: SparkSession, kept: str | None, most: int
) -> tuple[dict[tuple[str, str], TransitionStats], int]:
    among = f"AND touchpoint IN {kept} AND next_touchpoint IN {kept}" if kept else ""
    taken = f"FROM {_STEPS} WHERE next_touchpoint IS NOT NULL {among}"
    rows = spark.sql(
        f"""
        SELECT touchpoint, next_touchpoint, count(*) AS n, count(DISTINCT case_no),
               count(*) OVER () AS total
        {taken}
        GROUP BY touchpoint, next_touchpoint
        ORDER BY n DESC, touchpoint, next_touchpoint
        LIMIT {int(most)}
        """
    ).collect()
    gaps = _quantiles(
        spark, f"SELECT touchpoint AS a, next_touchpoint AS b, gap AS v {taken}", ("a", "b")
    )
    stats = {
        (str(a), str(b)): TransitionStats(int(n), int(c), *gaps[(str(a), str(b))])
        for a, b, n, c, _ in rows
    }
    total = int(rows[0][-1]) if rows else 0
    if kept:
        total = _one(
            spark,
            f"SELECT count(*) FROM (SELECT DISTINCT touchpoint, next_touchpoint FROM {_STEPS} "
            "WHERE next_touchpoint IS NOT NULL)",
        )
    return stats, total


def _quantiles(
    spark: SparkSession, values: str, keys: tuple[str, ...]
) -> dict[tuple[str, ...], tuple[float, float]]:
    """Per key, the median and 90th percentile of ``v`` in the rows of ``values``,
    interpolated as DuckDB's ``quantile_cont`` does.

    Spark's ``percentile`` interpolates as ``(higher - p) * lo + (p - lower) * hi``,
    DuckDB as ``lo * (1 - d) + hi * d``: equal in exact arithmetic, not always in
    the last bit of a double. So Spark brings back only the two values around each
    quantile, and the interpolation is DuckDB's, here (`_interpolated`).
    """
    by = ", ".join(keys)
    places = ", ".join(
        f"{rounding}({q} * (n - 1)) + 1" for q in QUANTILES for rounding in ("floor", "ceil")
    )
    found: dict[tuple[str, ...], tuple[int, dict[int, float]]] = {}
    for row in spark.sql(
        f"""
        SELECT {by}, n, r, v FROM (
          SELECT {by}, v, row_number() OVER (PARTITION BY {by} ORDER BY v) AS r,
                 count(*) OVER (PARTITION BY {by}) AS n
          FROM ({values})
        ) WHERE r IN ({places})
        """
    ).collect():
        key = tuple(str(k) for k in row[: len(keys)])
        n, r, v = int(row[-3]), int(row[-2]), float(row[-1])
        found.setdefault(key, (n, {}))[1][r] = v
    return {key: _interpolated(n, at) for key, (n, at) in found.items()}


QUANTILES = (0.5, 0.9)
"""The quantiles of times reported: the median and the 90th percentile."""


def _interpolated(n: int, at: dict[int, float]) -> tuple[float, float]:
    """The `QUANTILES` of ``n`` sorted values, of which ``at`` holds the needed ones by
    place (from 1), to the last bit as DuckDB's ``quantile_cont`` gives them."""
    found = []
    for q in QUANTILES:
        place = (n - 1) * q
        low = math.floor(place)
        lo, hi = at[low + 1], at[math.ceil(place) + 1]
        d = place - low
        # DuckDB computes lo * (1 - d) + hi * d, its build fusing the first product
        # and the sum into one rounding (a fused multiply-add): the exact sum of
        # lo * (1 - d) and the rounded hi * d, rounded once. Checked against DuckDB
        # on random values in tests/evidence/test_spark.py.
        found.append(float(Fraction(lo) * Fraction(1 - d) + Fraction(hi * d)))
    return found[0], found[1]


def _performers(spark: SparkSession, kept: str | None) -> dict[str, list[tuple[str, int]]]:
    among = f"AND touchpoint IN {kept} " if kept else ""
    found: dict[str, list[tuple[str, int]]] = {}
    for touchpoint, performer, n in spark.sql(
        f"SELECT touchpoint, performer, count(*) AS n FROM {_EVENTS} "
        f"WHERE performer IS NOT NULL {among}GROUP BY touchpoint, performer "
        "ORDER BY touchpoint, n DESC, performer"
    ).collect():
        found.setdefault(str(touchpoint), []).append((str(performer), int(n)))
    return found


def _handovers(spark: SparkSession, kept: str | None, most: int) -> list[Handover]:
    changes = (
        f"FROM {_STEPS} WHERE next_touchpoint IS NOT NULL AND performer IS NOT NULL "
        "AND next_performer IS NOT NULL AND performer <> next_performer"
    )
    if kept:
        changes += f" AND touchpoint IN {kept} AND next_touchpoint IN {kept}"
    where: dict[tuple[str, str], dict[tuple[str, str], int]] = {}
    for giver, taker, a, b, n in spark.sql(
        f"SELECT performer, next_performer, touchpoint, next_touchpoint, count(*) {changes} "
        "GROUP BY performer, next_performer, touchpoint, next_touchpoint "
        "ORDER BY performer, next_performer, touchpoint, next_touchpoint"
    ).collect():
        where.setdefault((str(giver), str(taker)), {})[(str(a), str(b))] = int(n)
    return [
        Handover(str(giver), str(taker), int(n), int(c), where[(str(giver), str(taker))])
        for giver, taker, n, c in spark.sql(
            f"SELECT performer, next_performer, count(*) AS n, count(DISTINCT case_no) AS c "
            f"{changes} GROUP BY performer, next_performer "
            f"ORDER BY c DESC, n DESC, performer, next_performer LIMIT {int(most)}"
        ).collect()
    ]


def _stages(
    spark: SparkSession, kept: str | None
) -> tuple[list[str], dict[str, list[tuple[str, int]]]]:
    order = [
        str(stage)
        for (stage,) in spark.sql(
            f"""
            SELECT stage FROM (
              SELECT case_id, stage, min(place) AS first FROM (
                SELECT case_id, stage,
                       row_number() OVER (PARTITION BY case_id ORDER BY ts, seq) AS place
                FROM {_EVENTS}
              ) WHERE stage IS NOT NULL GROUP BY case_id, stage
            ) GROUP BY stage ORDER BY avg(first), stage
            """
        ).collect()
    ]
    among = f"AND touchpoint IN {kept} " if kept else ""
    found: dict[str, list[tuple[str, int]]] = {}
    for touchpoint, stage, n in spark.sql(
        f"SELECT touchpoint, stage, count(*) AS n FROM {_EVENTS} WHERE stage IS NOT NULL "
        f"{among}GROUP BY touchpoint, stage ORDER BY touchpoint, n DESC, stage"
    ).collect():
        found.setdefault(str(touchpoint), []).append((str(stage), int(n)))
    return order, found


def _variants(spark: SparkSession, cases: int) -> tuple[list[Variant], int]:
    """The `VARIANTS_KEPT` most frequent paths (ties by path), and how many there are."""
    # collect_list keeps no order: each case's path is sorted by the place of its events.
    spark.sql(
        f"""
        SELECT path, count(*) AS customers FROM (
          SELECT transform(array_sort(collect_list(struct(place, touchpoint))),
                           s -> s.touchpoint) AS path
          FROM {_STEPS} GROUP BY case_no
        ) GROUP BY path
        """
    ).createOrReplaceTempView("journeygraph_variants")
    top = spark.sql(
        f"SELECT slice(path, 1, {VARIANT_STEPS}), size(path), customers "
        f"FROM journeygraph_variants ORDER BY customers DESC, path LIMIT {VARIANTS_KEPT}"
    ).collect()
    total = _one(spark, "SELECT count(*) FROM journeygraph_variants")
    kept = variants_of(top, cases)
    return kept, total


def _end_to_end(spark: SparkSession) -> Durations:
    per_case = f"SELECT 0 AS k, sum(coalesce(gap, 0)) AS v FROM {_STEPS} GROUP BY case_no"
    times = _quantiles(spark, per_case, ("k",))
    if not times:
        return Durations()
    median, p90 = times[("0",)]
    return Durations(_one(spark, f"SELECT count(DISTINCT case_no) FROM {_STEPS}"), median, p90)


def discover_log_in_spark(spark: SparkSession, log: EventLog) -> ObservedFlow:
    """The observed flow of a log the reader read, its aggregates computed by Spark.

    The reader's ``events`` go to Spark as Parquet in a temporary folder: the same
    rows DuckDB would count (times parsed, rows left out, names mapped). A cluster's
    executors must see that folder, so for a cluster give a table (`table_events`).

    Examples
    --------
    Not run here (it starts a JVM)::

        flow = discover_log_in_spark(spark_session("local[1]"), read_log(path))
    """
    import tempfile

    with tempfile.TemporaryDirectory(prefix="journeygraph-spark-") as folder:
        parquet = f"{folder}/events.parquet"
        columns = ", ".join(EVENT_COLUMNS)
        log.connection.execute(
            f"COPY (SELECT {columns} FROM events) TO '{parquet}' (FORMAT PARQUET)"
        )
        frame = spark.read.parquet(parquet)
        return discover_in_spark(spark, SparkEvents(frame, log.performers, log.stages), log)


def discover_table(
    spark: SparkSession, table: str, columns: Columns, *, limits: LogLimits | None = None
) -> ObservedFlow:
    """The observed flow of a Spark table's events, computed where the table is.

    Raises
    ------
    SparkError
        The table or a column is missing, it has no usable event, or Spark failed.

    Examples
    --------
    Not run here (it starts a JVM)::

        flow = discover_table(spark, "lake.events", Columns())
    """
    events, log = table_events(spark, table, columns, limits=limits)
    if log.events == 0:
        raise SparkError(f"{table}: {log.why_empty()}")
    return discover_in_spark(spark, events, log)
