"""Reading a log and discovering its journey, as every command, the workshop and a
notebook do: one place for what counts as a log with nothing to show.

>>> import pathlib, tempfile
>>> from journeygraph.testing import tiny_map
>>> log = pathlib.Path(tempfile.mkdtemp()) / "events.csv"
>>> _ = log.write_text("case_id,touchpoint,timestamp\\nc1,ad,1\\nc1,shop,2\\n")
>>> observe_map(tiny_map(), log).cases
1
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from journeygraph.exceptions import JourneyGraphError

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

    from journeygraph.evidence.discovery.flow import ObservedFlow
    from journeygraph.evidence.reading.columns import Columns
    from journeygraph.evidence.reading.limits import LogLimits
    from journeygraph.evidence.reading.names import Names
    from journeygraph.evidence.reading.segment import Segment
    from journeygraph.model import JourneyMap

__all__ = ["observe", "observe_map", "segment"]


def observe(
    log: Path,
    columns: Columns | None = None,
    *,
    strict: bool = False,
    lifecycle: str = "complete",
    names: Names | None = None,
    segment: Segment | None = None,
    object_type: str | None = None,
    classifier: str | None = None,
    limits: LogLimits | None = None,
    progress: Callable[[str], None] | None = None,
    spark: SparkSession | None = None,
) -> ObservedFlow:
    """Read ``log`` and discover its flow; a log with no usable event is an error.

    With ``spark``, the aggregates are computed inside that Spark session
    (`journeygraph.evidence.discovery.spark`), from the same events.

    The rows left out and the reader's notes stay on the flow's ``log``
    (``bad``, ``bad_rows``, ``examples``, ``notes``) for the caller to say where
    its user reads them: nothing is dropped silently. ``progress`` hears what
    is being done, for a status line.

    Raises
    ------
    JourneyGraphError
        When no event is left: the segment holds no case (saying how many are
        outside it), or the log has no usable row (saying why).
    """
    from journeygraph.evidence.discovery.flow import discover
    from journeygraph.evidence.reading.log import read_log

    if progress is not None:
        progress(f"reading {log}")
    events = read_log(
        log,
        columns=columns,
        strict=strict,
        lifecycle=lifecycle,
        names=names.touchpoints if names is not None else None,
        performers=names.performers if names is not None else None,
        segment=segment,
        object_type=object_type,
        classifier=classifier,
        limits=limits,
    )
    if events.events == 0 and events.segment:
        raise JourneyGraphError(
            f"{log}: no case is in the segment ({events.segment.describe()}); "
            f"{events.outside[1]:,} cases are outside it: widen --since, --until or --where"
        )
    if events.events == 0:
        raise JourneyGraphError(f"{log}: {events.why_empty()}")
    if progress is not None:
        progress(f"discovering the journey in {events.events:,} events")
    if spark is not None:
        from journeygraph.evidence.discovery.spark import discover_log_in_spark

        return discover_log_in_spark(spark, events)
    return discover(events)


def observe_map(
    m: JourneyMap,
    log: Path,
    *,
    performer: str | None = None,
    object_type: str | None = None,
    limits: LogLimits | None = None,
    progress: Callable[[str], None] | None = None,
) -> ObservedFlow:
    """The flow of ``m``'s log, read with the names the map gives its log.

    This is how ``render``, ``report``, ``actions``, ``whatif`` and ``serve``
    read the log that goes with one map: the map's ``log_names`` and
    ``log_performers``, ``performer`` the column naming who did each event.
    """
    from journeygraph.evidence.reading.columns import Columns
    from journeygraph.evidence.reading.names import names_of

    return observe(
        log,
        Columns(performer=performer),
        names=names_of(m),
        object_type=object_type,
        limits=limits,
        progress=progress,
    )


def segment(since: str | None, until: str | None, where: list[str] | None) -> Segment:
    """The segment that ``since``, ``until`` (ISO 8601) and ``where`` (``ATTR=VALUE``)
    describe, or an error saying which is wrong and how to write it.

    A time without a zone is UTC.

    Examples
    --------
    >>> segment("2024-05-01", None, ["channel = web"]).describe()
    'cases that started from 2024-05-01 00:00 UTC, where channel=web'
    >>> segment("May 1st", None, None)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    journeygraph.exceptions.JourneyGraphError: --since 'May 1st': not an ISO 8601 date ...
    """
    from journeygraph.evidence.reading.segment import Segment

    def moment(option: str, text: str | None) -> float | None:
        if text is None:
            return None
        try:
            when = datetime.datetime.fromisoformat(text.strip())
        except ValueError:
            raise JourneyGraphError(
                f"{option} {text!r}: not an ISO 8601 date or time; write e.g. 2024-05-01 or "
                "2024-05-01T09:30"
            ) from None
        if when.tzinfo is None:
            when = when.replace(tzinfo=datetime.UTC)
        return when.timestamp()

    pairs = []
    for condition in where or []:
        key, sep, value = condition.partition("=")
        if not sep or not key.strip():
            raise JourneyGraphError(
                f"--where {condition!r}: write ATTRIBUTE=VALUE, e.g. --where channel=web"
            )
        pairs.append((key.strip(), value.strip()))
    since_s, until_s = moment("--since", since), moment("--until", until)
    if since_s is not None and until_s is not None and until_s <= since_s:
        raise JourneyGraphError(f"--until {until!r} is not after --since {since!r}")
    return Segment(since_s, until_s, tuple(pairs))
