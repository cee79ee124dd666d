"""``journeygraph neo4j``: push, pull, audit and query journeys kept in Neo4j.

Connection settings come from ``--uri/--user/--password/--database`` or the
standard ``NEO4J_URI``, ``NEO4J_USERNAME``, ``NEO4J_PASSWORD`` and
``NEO4J_DATABASE`` variables. The password is never printed.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.text import Text

from journeygraph.cli.app import app
from journeygraph.cli.common import (
    AuditFormat,
    FailOn,
    ForceOpt,
    MapsArg,
    OutputOpt,
    TableFormat,
    claim,
    color,
    count,
    emit,
    finish_audit,
    load_all,
    reports_errors,
    stderr,
    width,
    write_map,
)
from journeygraph.exceptions import JourneyGraphError, StoreError
from journeygraph.report import OutputFormat, formatter
from journeygraph.store import library
from journeygraph.store.runner import DEFAULT_BATCH_SIZE, unpacked

if TYPE_CHECKING:
    from journeygraph.model import JourneyMap
    from journeygraph.store.driver import Neo4jStore, Settings
    from journeygraph.store.runner import Runner
    from journeygraph.store.writer import PushResult

__all__ = ["neo4j_app"]

neo4j_app = typer.Typer(
    help="Keep journeys in Neo4j: push maps, pull them back, audit and query them there.",
    no_args_is_help=True,
)
app.add_typer(neo4j_app, name="neo4j")

# Above this many rows a push shows a progress bar (on a terminal).
PROGRESS_FROM = 2000

Uri = Annotated[
    str | None,
    typer.Option("--uri", help="Neo4j address [default: NEO4J_URI, else neo4j://localhost:7687]."),
]
User = Annotated[
    str | None, typer.Option("--user", help="User name [default: NEO4J_USERNAME, else neo4j].")
]
Password = Annotated[
    str | None,
    typer.Option(
        "--password",
        help="Password [default: NEO4J_PASSWORD]; prefer the variable.",
        show_default=False,
    ),
]
Database = Annotated[
    str | None,
    typer.Option(
        "--database", help="Database [default: NEO4J_DATABASE, else the server's default]."
    ),
]
JourneysArg = Annotated[
    list[str], typer.Argument(metavar="JOURNEY", help="Journey ids, as in the maps' journey.id.")
]


def _settings(
    uri: str | None, user: str | None, password: str | None, database: str | None
) -> Settings:
    from journeygraph.store.driver import Settings

    return Settings.resolve(uri=uri, user=user, password=password, database=database)


def connect(settings: Settings) -> AbstractContextManager[Neo4jStore]:
    """An open connection to Neo4j; the driver is imported here, by the commands that use it."""
    from journeygraph.store.driver import connect as open_store

    return open_store(settings)


@neo4j_app.command("push")
@reports_errors
def push_command(
    maps: MapsArg,
    batch_size: Annotated[
        int, typer.Option(min=1, help="Rows per UNWIND statement.")
    ] = DEFAULT_BATCH_SIZE,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would change; write nothing.")
    ] = False,
    no_schema: Annotated[
        bool,
        typer.Option(
            "--no-schema",
            help="Create no constraints or indexes (for a role that may not); the push "
            "works without them, only slower on large databases.",
        ),
    ] = False,
    update_shared: Annotated[
        bool,
        typer.Option(
            "--update-shared",
            help="Change a function or department other journeys share (name, description, "
            "department) for all of them. Not needed when every journey sharing it is pushed "
            "together and agrees.",
        ),
    ] = False,
    prune: Annotated[
        bool,
        typer.Option(
            "--prune",
            help="Also delete the journeys the database holds that the maps given do not "
            "(give the whole folder of maps); lists them and asks first (--yes elsewhere).",
        ),
    ] = False,
    yes: Annotated[
        bool, typer.Option("--yes", help="Prune without asking (needed when not at a terminal).")
    ] = False,
    uri: Uri = None,
    user: User = None,
    password: Password = None,
    database: Database = None,
) -> None:
    """Push maps to Neo4j, which then mirrors them.

    Creates the schema, then syncs each journey in one transaction: what left a
    map leaves Neo4j (within that journey), and pushing twice changes nothing.
    """
    from journeygraph.store.staging import delete_leftovers
    from journeygraph.store.writer import (
        check_consistent,
        delete_journey,
        ensure_schema,
        plan_push,
    )

    journeys = load_all(maps)
    check_consistent(journeys)
    with connect(_settings(uri, user, password, database)) as store:
        if dry_run:
            together = {m.journey.id for m in journeys}
            for m in journeys:
                planned = functools.partial(
                    plan_push, m=m, together=together, update_shared=update_shared
                )
                changes, created = store.read(planned)
                stderr.print(Text(_plan_line(m, changes.count(), created)))
            return
        pruned = _to_prune(store, journeys, yes) if prune else []
        together = {m.journey.id for m in journeys}
        plans = [
            store.read(
                functools.partial(plan_push, m=m, together=together, update_shared=update_shared)
            )
            for m in journeys
        ]
        if not no_schema and any(not changes.empty for changes, _ in plans):
            ensure_schema(store)
        for m, (changes, _) in zip(journeys, plans, strict=True):
            if changes.empty:
                # Nothing to change: no write transaction, no lock (a read-only
                # database answers this too).
                stderr.print(Text(f"{m.journey.id}: up to date"))
                continue
            result = _push_one(store, m, batch_size, together, update_shared)
            stderr.print(Text(_result_line(result)))
            for change in result.shared:
                stderr.print(Text(f"{m.journey.id}: {change}"))
            if result.detached:
                stderr.print(Text(_detached_line(result)))
        for journey in pruned:
            # Its versions no read meets first: the journey node lists them.
            left = delete_leftovers(store, journey)[2]
            deleted = store.write(functools.partial(delete_journey, journey=journey))
            deleted.detached += left
            stderr.print(Text(_deleted_line(deleted, "not in the maps given")))
            if deleted.detached:
                stderr.print(Text(_detached_line(deleted)))


def _to_prune(store: Neo4jStore, maps: list[JourneyMap], yes: bool) -> list[str]:
    """The journeys ``--prune`` would delete, once confirmed (they are listed first)."""
    from journeygraph.store.reader import journeys as stored

    given = {m.journey.id for m in maps}
    pruned = sorted(set(store.read(stored)) - given)
    if not pruned or yes:
        return pruned
    listing = ", ".join(pruned)
    if not sys.stdin.isatty():
        raise JourneyGraphError(
            f"--prune would delete {count(len(pruned), 'journey')} the maps given do not hold "
            f"({listing}): pass --yes to confirm"
        )
    typer.confirm(f"--prune deletes {listing} from Neo4j: go on?", abort=True)
    return pruned


def _push_one(
    store: Neo4jStore, m: JourneyMap, batch_size: int, together: set[str], update_shared: bool
) -> PushResult:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from journeygraph.store.staging import push_journey

    rows = len(m.touchpoints) + sum(len(t.next) for t in m.touchpoints)
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=stderr,
        transient=True,
        disable=rows < PROGRESS_FROM,
    )
    with progress:
        task = progress.add_task(f"pushing {m.journey.id}", total=None)

        return push_journey(
            store,
            m,
            batch_size=batch_size,
            together=together,
            update_shared=update_shared,
            # A retried transaction starts its count again.
            started=lambda: progress.reset(task, total=None),
            progress=lambda n: progress.advance(task, n),
        )


def _plan_line(m: JourneyMap, count: int, created: bool) -> str:
    if created:
        return f"{m.journey.id}: would be created"
    if count == 0:
        return f"{m.journey.id}: up to date"
    return f"{m.journey.id}: {count} row{'s' if count != 1 else ''} would change"


def _result_line(result: PushResult) -> str:
    if not result.changed:
        return f"{result.journey}: up to date"
    parts = [f"{n} {section} written" for section, n in result.written.items() if n]
    parts += [f"{n} {section} deleted" for section, n in result.deleted.items() if n]
    verb = "created" if result.created else "updated"
    if result.staged:
        verb += ", staged"
    return (
        f"{result.journey}: {verb} ({', '.join(parts)}; "
        f"{result.statements} statement{'s' if result.statements != 1 else ''})"
    )


@neo4j_app.command("migrate")
@reports_errors
def migrate_command(
    uri: Uri = None,
    user: User = None,
    password: Password = None,
    database: Database = None,
) -> None:
    """Bring a database pushed by an earlier journeygraph up to date (safe to run again).

    Drops the earlier releases' constraints and indexes on the generic labels,
    labels what they wrote JourneyGraph, links stored findings from their journey,
    removes the push-lock nodes earlier builds kept, and creates the current schema.
    """
    from journeygraph.store.migrate import drop_earlier_schema, label_earlier
    from journeygraph.store.staging import sweep
    from journeygraph.store.writer import ensure_schema

    with connect(_settings(uri, user, password, database)) as store:
        dropped = store.write(drop_earlier_schema)
        result = store.write(label_earlier)
        result.dropped = dropped
        ensure_schema(store)
        swept = sweep(store)
    if swept:
        stderr.print(Text(f"removed {count(swept, 'node')} that unfinished staged pushes left"))
    if not result.changed:
        stderr.print(Text("up to date: nothing written by an earlier release to migrate"))
        return
    if dropped:
        stderr.print(Text(f"dropped the earlier schema: {', '.join(dropped)}"))
    labelled = [f"{n} {kind}" for kind, n in result.labelled.items() if n]
    if labelled:
        stderr.print(Text(f"labelled JourneyGraph: {', '.join(labelled)}"))
    if result.lock_removed:
        stderr.print(Text("removed the earlier one push lock (pushes now lock what they share)"))
    if result.locks_removed:
        removed = count(result.locks_removed, "push-lock node")
        stderr.print(Text(f"removed {removed} that earlier builds kept (pushes now keep none)"))
    if result.findings_linked:
        stderr.print(Text(f"linked {result.findings_linked} stored findings from their journey"))
    if result.revised:
        revised = count(result.revised, "journey")
        stderr.print(Text(f"gave {revised} pushed before versions of a journey a first revision"))


@neo4j_app.command("list")
@reports_errors
def list_command(
    output_format: Annotated[
        TableFormat, typer.Option("--format", "-f", help="A table, JSON or CSV.")
    ] = TableFormat.TEXT,
    uri: Uri = None,
    user: User = None,
    password: Password = None,
    database: Database = None,
) -> None:
    """List the journeys held in Neo4j, with their stages, touchpoints and functions."""
    from journeygraph.store import library

    q = library.query("explore/journeys")
    with connect(_settings(uri, user, password, database)) as store:
        rows = store.read(lambda tx: tx.run(q.text, {}))
    chosen = formatter(OutputFormat(output_format.value), color=color(None), width=width())
    emit(chosen.table(list(q.returns), rows), None, styled=output_format is TableFormat.TEXT)


@neo4j_app.command("delete")
@reports_errors
def delete_command(
    journeys: JourneysArg,
    yes: Annotated[
        bool, typer.Option("--yes", help="Delete without asking (needed when not at a terminal).")
    ] = False,
    uri: Uri = None,
    user: User = None,
    password: Password = None,
    database: Database = None,
) -> None:
    """Delete journeys from Neo4j, with what only they used; nothing else is touched."""
    if not yes:
        if not sys.stdin.isatty():
            raise JourneyGraphError(
                f"delete {', '.join(journeys)} from Neo4j: pass --yes to confirm"
            )
        typer.confirm(f"Delete {', '.join(journeys)} from Neo4j?", abort=True)
    from journeygraph.store.staging import delete_leftovers
    from journeygraph.store.writer import delete_journey

    with connect(_settings(uri, user, password, database)) as store:
        for journey in journeys:
            # Its versions no read meets first: the journey node lists them.
            left = delete_leftovers(store, journey)[2]
            deleted = store.write(functools.partial(delete_journey, journey=journey))
            deleted.detached += left
            stderr.print(Text(_deleted_line(deleted, "deleted")))
            if deleted.detached:
                stderr.print(Text(_detached_line(deleted)))


def _detached_line(result: PushResult) -> str:
    return (
        f"{result.journey}: {count(result.detached, 'relationship')} of another application's "
        "went with the nodes removed (Neo4j removes a node with its relationships)"
    )


def _deleted_line(result: PushResult, why: str) -> str:
    rows = sum(n for section, n in result.deleted.items() if section != "journey")
    return f"{result.journey}: {why}; removed ({rows} rows of stages, touchpoints and the rest)"


@neo4j_app.command("pull")
@reports_errors
def pull_command(
    journey: Annotated[str, typer.Argument(metavar="JOURNEY", help="The journey id.")],
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help="The map to write; its suffix sets the format as for `export` (.yaml by default).",
        ),
    ],
    force: ForceOpt = False,
    uri: Uri = None,
    user: User = None,
    password: Password = None,
    database: Database = None,
) -> None:
    """Write a journey held in Neo4j out as a map file."""
    from journeygraph.io.any import check_map_target
    from journeygraph.store.reader import pull

    check_map_target(output, force=force)
    with connect(_settings(uri, user, password, database)) as store:
        m = store.read(lambda tx: pull(tx, journey))
    write_map(m, output)


@neo4j_app.command("audit")
@reports_errors
def audit_command(
    journeys: JourneysArg,
    output_format: Annotated[
        AuditFormat, typer.Option("--format", "-f", help="Output format.")
    ] = AuditFormat.TEXT,
    fail_on: Annotated[
        FailOn, typer.Option(help="Exit 1 when a finding at or above this severity remains.")
    ] = FailOn.MEDIUM,
    output: OutputOpt = None,
    config: Annotated[
        Path | None,
        typer.Option("--config", "-c", help="Audit config laid over each journey's own."),
    ] = None,
    baseline: Annotated[
        Path | None,
        typer.Option(help="An earlier `audit --format json` output: report only new findings."),
    ] = None,
    force: ForceOpt = False,
    write: Annotated[
        bool,
        typer.Option(
            "--write",
            help="Also store the findings in the graph: a (:Finding) node each, linked "
            "[:ABOUT] to its touchpoints, stage or functions; replaces the last run's.",
        ),
    ] = False,
    gds: Annotated[
        bool,
        typer.Option(
            "--gds/--no-gds",
            help="Find loops with the Graph Data Science library's gds.scc (fails where "
            "the server cannot run it). By default, and with --no-gds, loops are found on "
            "the transitions read with the map, which is faster.",
        ),
    ] = False,
    uri: Uri = None,
    user: User = None,
    password: Password = None,
    database: Database = None,
) -> None:
    """Audit journeys held in Neo4j with the shipped Cypher.

    The findings, output formats and exit codes are those of `journeygraph audit`.
    """
    from journeygraph.io.load import load_config
    from journeygraph.store.audit import cypher_audit
    from journeygraph.store.findings import write_findings
    from journeygraph.store.reader import pull

    claim(output, [config, baseline], force)
    extra = load_config(config) if config else None
    settings = _settings(uri, user, password, database)
    with connect(settings) as store:
        if gds:
            from journeygraph.store.gds import require

            stderr.print(Text(require(store, settings.shown)))

        def work(tx: Runner) -> tuple[list[JourneyMap], list[Any]]:
            results = [cypher_audit(tx, j, config=extra, gds=gds) for j in journeys]
            maps = [pull(tx, j) for j in journeys] if len(journeys) > 1 else []
            for result in results if write else []:
                write_findings(tx, result)
            return maps, results

        with _dropping_left(store, gds):
            maps, results = store.write(work) if write else store.read(work)
    if write:
        stored = sum(len(r.findings) + len(r.waived) for r in results)
        stderr.print(Text(f"stored {count(stored, 'finding')} in the graph"))
    finish_audit(maps, results, output_format, output, fail_on, baseline)


@neo4j_app.command("query")
@reports_errors
def query_command(
    source: Annotated[
        str | None,
        typer.Argument(
            metavar="[FILE]",
            help="A .cypher file, or a shipped query by name (e.g. explore/coverage-matrix).",
            show_default=False,
        ),
    ] = None,
    cypher: Annotated[
        str | None, typer.Option("--cypher", help="The query text, instead of a file.")
    ] = None,
    param: Annotated[
        list[str] | None,
        typer.Option("--param", "-p", help="A parameter: name=text, or name:=json (repeatable)."),
    ] = None,
    output_format: Annotated[
        TableFormat, typer.Option("--format", "-f", help="A table, JSON or CSV.")
    ] = TableFormat.TEXT,
    output: OutputOpt = None,
    write: Annotated[
        bool,
        typer.Option(
            "--write",
            help="Allow writes: run in an implicit transaction, so CALL {} IN TRANSACTIONS "
            "works (the default is a read-only transaction).",
        ),
    ] = False,
    explain: Annotated[
        bool, typer.Option("--explain", help="Show the query's plan instead; run nothing.")
    ] = False,
    profile: Annotated[
        bool,
        typer.Option(
            "--profile", help="Run the query (read-only) and show its plan with rows and hits."
        ),
    ] = False,
    force: ForceOpt = False,
    uri: Uri = None,
    user: User = None,
    password: Password = None,
    database: Database = None,
) -> None:
    """Run a Cypher query and print its rows.

    Values travel only as parameters: --param name=text, or name:=json.
    """
    claim(output, [Path(source) if source else None], force)
    q = _query_of(source, cypher)
    from journeygraph.store import gds
    from journeygraph.store.library import parse_parameters

    values = parse_parameters(param or [])
    needed = set(q.parameters) or set(library.used_parameters(q.text))
    # A shipped GDS query projects into GDS's memory under a name of its own,
    # made up afresh for each run (and each retry of it).
    fresh = gds.projects(q) and "graph" not in values
    # The journey's current version: journeygraph reads it from its Journey node.
    pinned = {"revision"} if "journey" in needed else set()
    missing = sorted(needed - set(values) - ({"graph"} if fresh else set()) - pinned)
    if missing:
        hint = " ".join(f"--param {name}=..." for name in missing)
        raise JourneyGraphError(f"{q.name} needs {', '.join('$' + n for n in missing)}: add {hint}")
    unknown = sorted(set(values) - needed)
    if unknown:
        raise JourneyGraphError(
            f"{q.name} takes no {', '.join('$' + n for n in unknown)}"
            + (f"; it takes {', '.join('$' + n for n in sorted(needed))}" if needed else "")
        )

    def given() -> dict[str, Any]:
        return gds.parameters(values) if fresh else values

    if explain or profile:
        if write:
            raise JourneyGraphError(
                "--explain and --profile show a read query's plan; drop --write"
            )
        settings = _settings(uri, user, password, database)
        with connect(settings) as store:
            _gds_ready(store, q, settings.shown, run=profile)
            operators = store.plan(q.text, given(), profile=profile)
        chosen = formatter(OutputFormat(output_format.value), color=color(output), width=width())
        columns = ["operator", "details", "estimated_rows"] + (
            ["rows", "db_hits"] if profile else []
        )
        emit(chosen.table(columns, operators), output, styled=output_format is TableFormat.TEXT)
        return
    settings = _settings(uri, user, password, database)
    with connect(settings) as store:
        _gds_ready(store, q, settings.shown, run=True)
        # A write runs in an implicit transaction, where CALL {} IN TRANSACTIONS may run.
        with _dropping_left(store, fresh):
            rows = (
                store.run_implicit(q.text, given())
                if write
                else store.read(lambda tx: tx.run(q.text, given()))
            )
    # A table packed in one row (the pull's big reads) is shown as its rows.
    rows = unpacked(rows)
    columns = list(rows[0]) if rows else list(q.returns)
    chosen = formatter(OutputFormat(output_format.value), color=color(output), width=width())
    emit(chosen.table(columns, rows), output, styled=output_format is TableFormat.TEXT)


@contextmanager
def _dropping_left(store: Neo4jStore, gds_used: bool) -> Iterator[None]:
    """On a failure, drop the GDS projections this run made and could not drop."""
    try:
        yield
    except JourneyGraphError:
        if gds_used:
            from journeygraph.store import gds

            with suppress(JourneyGraphError):
                gds.drop_left(store)
        raise


def _gds_ready(store: Neo4jStore, q: library.Query, shown: str, *, run: bool) -> None:
    """Refuse to run a shipped GDS query where GDS may not run: it would fail
    after its projection, and leave that in the server's memory."""
    from journeygraph.store import gds

    if run and gds.projects(q):
        why = gds.availability(store)
        if why.version is None:
            raise StoreError(f"{shown} {why.reason}")


def _query_of(source: str | None, cypher: str | None) -> library.Query:
    from journeygraph.exceptions import did_you_mean
    from journeygraph.io.load import read_text

    if (source is None) == (cypher is None):
        raise JourneyGraphError("give a query: a FILE, a shipped query name, or --cypher TEXT")
    if cypher is not None:
        return library.parse("--cypher", cypher)
    assert source is not None
    path = Path(source)
    if path.is_file():
        return library.parse(str(path), read_text(path, expected="a .cypher file"))
    names = library.names()
    if source.removesuffix(".cypher") in names:
        return library.query(source.removesuffix(".cypher"))
    hint = did_you_mean(source, names) or (
        "; shipped queries: " + ", ".join(n for n in names if not n.startswith("sync/"))
    )
    raise JourneyGraphError(f"{source}: no such file or shipped query{hint}")
