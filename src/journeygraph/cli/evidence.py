"""``journeygraph discover``: what customers did, from an event log, against the map."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from journeygraph.cli.app import app
from journeygraph.cli.common import (
    AuditFormat,
    Engine,
    ExcludeRulesOpt,
    FailOn,
    Lifecycle,
    LogLimitOpt,
    ObjectTypeOpt,
    PerformerOpt,
    RulesOpt,
    color,
    reports_errors,
    stderr,
    width,
)

__all__ = ["discover_command"]


@app.command("discover")
@reports_errors
def discover_command(
    log: Annotated[
        Path,
        typer.Argument(
            metavar="LOG",
            help="The event log: CSV (.csv, .csv.gz) or Parquet, one row per event; XES "
            "(.xes, .xes.gz); or OCEL 2.0 (.jsonocel, .xmlocel, .sqlite, OCEL .json or .xml).",
        ),
    ],
    map_file: Annotated[
        Path | None,
        typer.Option("--map", "-m", help="Compare with this map (YAML, .xlsx or CSV folder)."),
    ] = None,
    case: Annotated[str, typer.Option("--case", help="The case (customer) column.")] = "case_id",
    touchpoint: Annotated[
        str, typer.Option("--touchpoint", help="The touchpoint column.")
    ] = "touchpoint",
    time: Annotated[
        str,
        typer.Option("--time", help="The time column: ISO 8601, or epoch seconds or ms."),
    ] = "timestamp",
    strict: Annotated[
        bool, typer.Option("--strict", help="Stop at rows that cannot be used.")
    ] = False,
    performer: PerformerOpt = None,
    stage: Annotated[
        str | None,
        typer.Option(
            "--stage",
            help="The column (CSV, Parquet) or event attribute (XES, OCEL) that gives each "
            "event's journey stage: --emit-map then puts each touchpoint in its stage.",
        ),
    ] = None,
    object_type: ObjectTypeOpt = None,
    names: Annotated[
        Path | None,
        typer.Option(
            "--names",
            help="A CSV of the map's ids for the log's names: columns log_name,touchpoint "
            "and/or performer,function. Names it does not list are kept, and reported.",
        ),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(
            help="Only the cases that started at or after this time (ISO 8601: 2024-05-01, "
            "or a date and time; UTC unless it says otherwise)."
        ),
    ] = None,
    until: Annotated[
        str | None,
        typer.Option(help="Only the cases that started before this time (ISO 8601)."),
    ] = None,
    where: Annotated[
        list[str] | None,
        typer.Option(
            "--where",
            help="Only the cases with this attribute's value, ATTR=VALUE (repeatable; all must "
            "hold): an XES trace or event attribute, or a CSV or Parquet column, on any of "
            "the case's events.",
        ),
    ] = None,
    lifecycle: Annotated[
        Lifecycle,
        typer.Option(
            help="XES: keep only completed events (the default), or every lifecycle transition."
        ),
    ] = Lifecycle.COMPLETE,
    classifier: Annotated[
        str | None,
        typer.Option(
            "--classifier",
            help="XES: name each touchpoint by a classifier the log declares (e.g. "
            "'Activity classifier': its keys' values joined by +, as PM4Py does).",
        ),
    ] = None,
    limit: LogLimitOpt = None,
    rules: RulesOpt = None,
    exclude_rules: ExcludeRulesOpt = None,
    output_format: Annotated[
        AuditFormat, typer.Option("--format", "-f", help="Output format.")
    ] = AuditFormat.TEXT,
    fail_on: Annotated[
        FailOn,
        typer.Option(
            help="With --map: exit 1 when a conformance finding at or above this remains."
        ),
    ] = FailOn.MEDIUM,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write the result here instead of stdout; a path without a suffix is a "
            "folder of CSV tables (touchpoints, transitions and, with --map, findings).",
        ),
    ] = None,
    emit_map: Annotated[
        Path | None,
        typer.Option(
            "--emit-map", help="Also write a map skeleton (YAML) of the observed journey."
        ),
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option("--config", "-c", help="Audit config laid over the map's own."),
    ] = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Replace an existing --output or --emit-map file (a folder of tables "
            "journeygraph wrote is replaced anyway).",
        ),
    ] = False,
    engine: Annotated[
        Engine,
        typer.Option(
            help="Where the log's aggregates are computed: DuckDB here, or inside Spark "
            "(the [spark] extra; only the aggregates come back)."
        ),
    ] = Engine.DUCKDB,
    spark_master: Annotated[
        str | None,
        typer.Option(
            "--spark-master",
            help="With --engine spark: the cluster's master URL (spark://host:7077, yarn, "
            "local[4]); by default Spark's own configuration, or spark-submit's session.",
        ),
    ] = None,
    table: Annotated[
        bool,
        typer.Option(
            "--table",
            help="With --engine spark: LOG names a table Spark knows (db.events: a Hive, "
            "Delta or catalog table), read where it is, with the --case, --touchpoint, "
            "--time, --performer and --stage columns.",
        ),
    ] = False,
) -> None:
    """Discover the journey customers take from an event log, and compare it with a map."""
    from journeygraph._discover import Asked, Terminal, run

    asked = Asked(
        log=log,
        map_file=map_file,
        case=case,
        touchpoint=touchpoint,
        time=time,
        strict=strict,
        performer=performer,
        stage=stage,
        object_type=object_type,
        names=names,
        since=since,
        until=until,
        where=where,
        lifecycle=lifecycle.value,
        classifier=classifier,
        limit=limit,
        rules=rules,
        exclude_rules=exclude_rules,
        output_format=output_format.value,
        fail_on=fail_on.value,
        output=output,
        emit_map=emit_map,
        config=config,
        force=force,
        engine=engine.value,
        spark_master=spark_master,
        table=table,
    )
    terminal = Terminal(
        color=color(output),
        width=width(),
        tty=sys.stdout.isatty(),
        status=stderr.status if stderr.is_terminal else None,
    )
    if run(asked, _say, terminal):
        raise typer.Exit(1)


def _say(text: str, style: str | None = None) -> None:
    stderr.print(Text(text, style=style) if style else Text(text))
