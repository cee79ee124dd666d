"""``journeygraph discover``: what customers did, from an event log, against the map."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

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
    emit,
    log_limits,
    observe,
    reports_errors,
    rule_names,
    segment_of,
    spark_of,
    stderr,
    width,
)
from journeygraph.escape import shown
from journeygraph.exceptions import JourneyGraphError
from journeygraph.io.files import check_output, is_special, output_folder
from journeygraph.report import OutputFormat, formatter

if TYPE_CHECKING:
    from journeygraph.evidence import Evidence, ObservedFlow
    from journeygraph.model import AuditConfig, JourneyMap

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
    # Each part loads when used: without a map, nothing of the audit is imported.
    from journeygraph.evidence.reading.columns import Columns
    from journeygraph.evidence.reading.names import names_for

    limits = log_limits(limit)
    inputs = [log, map_file, config, names]
    if output is not None:
        check_output(output, inputs=inputs, force=force, folder=_tables(output))
    if emit_map is not None:
        check_output(emit_map, inputs=[*inputs, output], force=force)
    m, extra = _map_and_config(map_file, config)
    mapped = names_for(m, names, limits=limits)
    _check_engine(
        engine,
        table=table,
        mapped=m is not None,
        narrowed=bool(names or since or until or where or strict),
    )
    columns = Columns(case, touchpoint, time, performer, stage)
    if table:
        from journeygraph.evidence.discovery.spark import discover_table

        flow = discover_table(spark_of(spark_master), str(log), columns, limits=limits)
    else:
        flow = observe(
            log,
            columns,
            strict=strict,
            # Text on the terminal lists the rows left out itself: the warning would
            # repeat it on the same screen.
            warn=not (output is None and output_format.value == "text" and sys.stdout.isatty()),
            lifecycle=lifecycle.value,
            names=mapped,
            segment=segment_of(since, until, where),
            object_type=object_type,
            classifier=classifier,
            limits=limits,
            spark=spark_of(spark_master) if engine is Engine.SPARK else None,
        )
    evidence = None
    if m is not None:
        from journeygraph.evidence.conformance.comparison import compare

        evidence = compare(
            m,
            flow,
            config=extra,
            rules=rule_names(rules),
            exclude_rules=rule_names(exclude_rules),
        )
    if output is not None and _tables(output):
        _write_tables(output, flow, evidence)
    else:
        chosen = formatter(OutputFormat(output_format.value), color=color(output), width=width())
        emit(chosen.evidence(flow, evidence), output, styled=output_format is AuditFormat.TEXT)
    if emit_map is not None:
        _emit_map(flow, log, emit_map)
    if evidence is not None and fail_on.fails(
        finding.severity for finding in evidence.conformance.findings
    ):
        raise typer.Exit(1)


def _map_and_config(
    map_file: Path | None, config: Path | None
) -> tuple[JourneyMap | None, AuditConfig | None]:
    """The ``--map`` and the ``--config`` laid over it, each when given."""
    m, extra = None, None
    if map_file is not None:
        from journeygraph.io.any import load_any

        m = load_any(map_file)
    if config is not None:
        from journeygraph.io.load import load_config

        extra = load_config(config)
    return m, extra


def _emit_map(flow: ObservedFlow, log: Path, emit_map: Path) -> None:
    from journeygraph.evidence.discovery.skeleton import skeleton_map
    from journeygraph.io.write import save_map

    save_map(skeleton_map(flow, name=log.name), emit_map)
    stderr.print(Text(f"wrote {shown(emit_map)}: a skeleton to assign stages and owners in"))


def _check_engine(engine: Engine, *, table: bool, mapped: bool, narrowed: bool) -> None:
    """Refuse what --engine spark and --table do not do (yet)."""
    if engine is Engine.SPARK and mapped:
        raise JourneyGraphError(
            "--engine spark computes the log's aggregates without a map for now: "
            "leave out --map, or use --engine duckdb"
        )
    if table and (engine is not Engine.SPARK or narrowed):
        raise JourneyGraphError(
            "--table reads a Spark table: give --engine spark, and leave out --names, "
            "--since, --until, --where and --strict"
        )


def _tables(output: Path) -> bool:
    """Whether ``output`` is a folder of tables: no suffix, and not a device such as /dev/null."""
    return not output.suffix and not is_special(output)


def _write_tables(folder: Path, flow: ObservedFlow, evidence: Evidence | None) -> None:
    from journeygraph.report.csv_format import evidence_tables

    tables = evidence_tables(flow, evidence)
    with output_folder(folder) as building:
        for name, text in tables.items():
            (building / name).write_text(text, encoding="utf-8")
    for name in tables:
        stderr.print(Text(f"wrote {folder / name}"))
