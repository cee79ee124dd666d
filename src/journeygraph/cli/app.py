"""Commands: audit, validate, matrix, render, report, export, import, init, rules, explain, schema.

Results go to stdout (or ``--output``); progress, warnings and summaries go to
stderr. Exit codes are :class:`ExitCode`.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import sys
from collections.abc import Callable
from enum import IntEnum, StrEnum
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.text import Text

from journeygraph._gc import paused_gc
from journeygraph.escape import printable
from journeygraph.exceptions import JourneyGraphError, MapError
from journeygraph.io.files import atomic_write, check_output
from journeygraph.render import DEFAULT_MAX_FUNCTIONS, DEFAULT_MAX_TOUCHPOINTS, View
from journeygraph.report import OutputFormat, formatter

if TYPE_CHECKING:
    from journeygraph.audit import AuditResult
    from journeygraph.evidence import Columns, ObservedFlow
    from journeygraph.model import JourneyMap
    from journeygraph.report.scorecard import Portfolio

__all__ = ["ExitCode", "app", "main"]

STARTER = resources.files("journeygraph").joinpath("starter.yaml")


class ExitCode(IntEnum):
    """What the process exit status means."""

    OK = 0
    """Done; no finding at or above ``--fail-on``."""
    FINDINGS = 1
    """Findings at or above ``--fail-on`` remain."""
    ERROR = 2
    """Bad input or usage: nothing was audited."""
    INTERNAL = 3
    """A bug in journeygraph: no input should ever lead here."""


class AuditFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    CSV = "csv"
    SARIF = "sarif"


class MatrixFormat(StrEnum):
    TEXT = "text"
    CSV = "csv"
    JSON = "json"


class FailOn(StrEnum):
    INFO = "info"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    NEVER = "never"


class RulesFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    MARKDOWN = "markdown"


app = typer.Typer(
    name="journeygraph",
    help="Audit customer journeys as graphs: who owns each touchpoint, where "
    "responsibility changes hands, and where the journey loops.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class _SafeConsole(Console):
    """A console whose text shows control characters written out, never obeyed."""

    def print(self, *objects: Any, **kwargs: Any) -> None:
        shown = [
            Text(printable(o.plain), style=o.style)
            if isinstance(o, Text)
            else printable(o)
            if isinstance(o, str)
            else o
            for o in objects
        ]
        super().print(*shown, **kwargs)


def _print_version(value: bool) -> None:
    if value:
        from journeygraph._version import __version__

        sys.stdout.write(f"journeygraph {__version__}\n")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Audit customer journeys as graphs: who owns each touchpoint, where responsibility
    changes hands, and where the journey loops."""


_stderr = _SafeConsole(stderr=True, highlight=False, markup=False, emoji=False, soft_wrap=True)
_F = TypeVar("_F", bound=Callable[..., Any])


def observe(
    log: Path, columns: Columns | None = None, *, strict: bool = False, warn: bool = True
) -> ObservedFlow:
    """Read ``log`` and discover its flow, as every command given a log does.

    Rows left out are said on stderr (never dropped silently; ``warn=False``
    when the command's own output lists them where the user reads it), a log
    with no usable event is an error, and a terminal sees what is being done.
    """
    from journeygraph.evidence import discover, read_log

    status = _stderr.status(f"reading {log}") if _stderr.is_terminal else None
    with status or contextlib.nullcontext():
        events = read_log(log, columns=columns, strict=strict)
        if events.bad_rows and warn:
            _stderr.print(
                Text(
                    f"warning: {events.bad_rows} rows of {log} left out "
                    f"({', '.join(f'{n} {why}' for why, n in events.bad.items())}), e.g. "
                    f"{events.examples[0]}; --strict stops on them",
                    style="yellow",
                )
            )
        if events.events == 0:
            raise JourneyGraphError(
                f"{log}: no usable events; check --case, --touchpoint and --time"
            )
        if status is not None:
            status.update(f"discovering the journey in {events.events:,} events")
        return discover(events)


def _reports_errors(command: _F) -> _F:
    """Turn journeygraph's own errors into one clear message and exit code 2."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            # A command is one short run over data without reference cycles.
            with paused_gc():
                return command(*args, **kwargs)
        except MapError as err:
            for problem in err.problems:
                _stderr.print(Text(str(problem)), soft_wrap=True)
            files = {p.location.file for p in err.problems if p.location}
            where = f" in {', '.join(sorted(files))}" if files else ""
            count = len(err.problems)
            _stderr.print(
                Text(
                    f"journeygraph: {count} problem{'s' if count != 1 else ''}{where}; "
                    f"fix {'them' if count != 1 else 'it'} and run again.",
                    style="bold red",
                )
            )
            raise typer.Exit(ExitCode.ERROR) from None
        except JourneyGraphError as err:
            _stderr.print(Text(f"journeygraph: {err}", style="bold red"), soft_wrap=True)
            raise typer.Exit(ExitCode.ERROR) from None
        except OSError as err:
            where = f"{err.filename}: " if err.filename else ""
            _stderr.print(Text(f"journeygraph: {where}{err.strerror or err}", style="bold red"))
            raise typer.Exit(ExitCode.ERROR) from None
        except KeyboardInterrupt:
            _stderr.print(Text("journeygraph: interrupted; no output was half-written"))
            raise typer.Exit(130) from None
        except MemoryError:
            _stderr.print(
                Text("journeygraph: out of memory; the input is too large", style="bold red")
            )
            raise typer.Exit(ExitCode.ERROR) from None
        except (typer.Exit, typer.Abort, typer.TyperException, SystemExit):
            raise
        except Exception as err:
            if os.environ.get("JOURNEYGRAPH_DEBUG"):
                raise
            _stderr.print(
                Text(
                    f"journeygraph: internal error ({type(err).__name__}: {err}). This is a "
                    "bug in journeygraph, not in your input: please report it with the "
                    "command you ran (JOURNEYGRAPH_DEBUG=1 shows the traceback).",
                    style="bold red",
                )
            )
            raise typer.Exit(ExitCode.INTERNAL) from None

    return wrapper  # type: ignore[return-value]


_MAP_FORMS = "a YAML map, an .xlsx workbook or a folder of CSV map files"
MapArg = Annotated[Path, typer.Argument(metavar="MAP", help=f"The journey: {_MAP_FORMS}.")]
MapsArg = Annotated[
    list[Path],
    typer.Argument(
        metavar="MAP",
        help="Journey maps: YAML or .xlsx files, CSV map folders, or folders of maps.",
        show_default=False,
    ),
]
OutputOpt = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Write the result to this file instead of stdout."),
]
ForceOpt = Annotated[
    bool,
    typer.Option(
        "--force", help="Replace an existing output file (never one of the command's inputs)."
    ),
]


@app.command("audit")
@_reports_errors
def audit_command(
    maps: MapsArg,
    output_format: Annotated[
        AuditFormat, typer.Option("--format", "-f", help="Output format.")
    ] = AuditFormat.TEXT,
    fail_on: Annotated[
        FailOn,
        typer.Option(help="Exit 1 when a finding at or above this severity remains."),
    ] = FailOn.MEDIUM,
    output: OutputOpt = None,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            "-c",
            help="Audit config (YAML: thresholds, disable, severity, waivers), laid "
            "over each map's own audit section.",
        ),
    ] = None,
    baseline: Annotated[
        Path | None,
        typer.Option(
            help="An earlier `audit --format json` (or sarif) output: report only findings "
            "not in it."
        ),
    ] = None,
    force: ForceOpt = False,
) -> None:
    """Audit journey maps: findings to stdout, a summary to stderr."""
    from journeygraph.audit import audit
    from journeygraph.io.any import map_files
    from journeygraph.io.load import load_config

    _claim(output, [*maps, *map_files(maps), config, baseline], force)
    extra = load_config(config) if config else None
    journeys = _load_all(maps)
    results = [audit(m, config=extra) for m in journeys]
    finish_audit(journeys, results, output_format, output, fail_on, baseline)


def finish_audit(
    journeys: list[JourneyMap],
    results: list[AuditResult],
    output_format: AuditFormat,
    output: Path | None,
    fail_on: FailOn,
    baseline: Path | None,
) -> None:
    """Print audit results as ``audit`` does and exit with its exit code."""
    from journeygraph.baseline import apply_baseline, load_baseline
    from journeygraph.model import Severity
    from journeygraph.report.scorecard import portfolio
    from journeygraph.report.text_format import summary_line

    known = load_baseline(baseline) if baseline else None
    if known is not None:
        results = [apply_baseline(r, known) for r in results]
    view = portfolio(journeys, results) if len(journeys) > 1 else None
    text = _render_audit(results, output_format, output, view)
    _emit(text, output, styled=output_format is AuditFormat.TEXT)
    if known is not None:
        old = sum(r.baselined for r in results)
        _stderr.print(
            Text(f"{old} finding{'s' if old != 1 else ''} already in the baseline left out")
        )
    for result in results:
        for w in result.unused_waivers:
            where = f"{w.location}: " if w.location else ""
            _stderr.print(
                Text(f"{where}warning: waiver for {w.rule} {list(w.entities)} matches no finding"),
                style="yellow",
            )
    if output_format is not AuditFormat.TEXT or output is not None:
        _stderr.print(Text(summary_line(results)))
    if fail_on is not FailOn.NEVER and any(r.fails(Severity(fail_on.value)) for r in results):
        raise typer.Exit(ExitCode.FINDINGS)


@app.command("validate")
@_reports_errors
def validate_command(maps: MapsArg) -> None:
    """Check that maps are valid, without auditing them."""
    journeys = _load_all(maps)
    for m in journeys:
        _stderr.print(
            Text(
                f"{m.source.file if m.source else m.id}: valid ({len(m.stages)} stages, "
                f"{len(m.touchpoints)} touchpoints, {len(m.functions)} functions)"
            )
        )


@app.command("matrix")
@_reports_errors
def matrix_command(
    map_file: MapArg,
    output_format: Annotated[
        MatrixFormat, typer.Option("--format", "-f", help="Output format.")
    ] = MatrixFormat.TEXT,
    output: OutputOpt = None,
    force: ForceOpt = False,
) -> None:
    """Print which job function holds which RACI role in which stage."""
    from journeygraph.algorithms import coverage_matrix
    from journeygraph.io.any import load_any

    _claim(output, [map_file], force)
    m = load_any(map_file)
    matrix = coverage_matrix(m.to_networkx())
    chosen = formatter(OutputFormat(output_format.value), color=_color(output), width=_width())
    text = chosen.matrix(matrix, journey=m.journey.label)
    _emit(text, output, styled=output_format is MatrixFormat.TEXT)


@app.command("render")
@_reports_errors
def render_command(
    map_file: MapArg,
    output: Annotated[
        Path,
        typer.Option(
            "--output", "-o", help="Diagram file; its suffix sets the format: .svg .png .pdf .dot."
        ),
    ],
    view: Annotated[View, typer.Option("--view", "-v", help="Which diagram.")] = View.FLOW,
    stage: Annotated[
        str | None, typer.Option(help="Flow only: draw this stage's touchpoints (a stage id).")
    ] = None,
    max_touchpoints: Annotated[
        int,
        typer.Option(min=1, help="Flow and blueprint: above this many touchpoints, summarise."),
    ] = DEFAULT_MAX_TOUCHPOINTS,
    max_functions: Annotated[
        int,
        typer.Option(
            min=1, help="Handoffs and matrix: above this many functions, show departments."
        ),
    ] = DEFAULT_MAX_FUNCTIONS,
    log: Annotated[
        Path | None,
        typer.Option(
            "--log",
            help="Flow only: draw what customers did, from this event log (as for `discover`).",
        ),
    ] = None,
    force: ForceOpt = False,
) -> None:
    """Draw a diagram of a journey with its audit findings on it."""
    from journeygraph.io.any import load_any
    from journeygraph.render import diagram, format_of, render

    output_format = format_of(output)
    _claim(output, [map_file, log], force)
    if log is not None and view is not View.FLOW:
        raise JourneyGraphError("--log is drawn on the flow view: use --view flow")
    m = load_any(map_file)
    overlay = None
    if log is not None:
        overlay = observe(log).overlay()
    drawn = diagram(
        view,
        m,
        stage=stage,
        max_touchpoints=max_touchpoints,
        max_functions=max_functions,
        overlay=overlay,
    )
    if drawn.note:
        _stderr.print(Text(f"note: {drawn.note}"), style="yellow")
    atomic_write(output, render(drawn.dot, output_format))
    _stderr.print(Text(f"wrote {output}"))


@app.command("report")
@_reports_errors
def report_command(
    maps: MapsArg,
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Folder to write the report into.")
    ],
    pdf: Annotated[bool, typer.Option("--pdf", help="Also print report.pdf (Chromium).")] = False,
    before: Annotated[
        list[Path] | None,
        typer.Option(
            "--before",
            help="Earlier versions of the maps (matched by journey id): the report shows "
            "what changed and which findings came and went.",
        ),
    ] = None,
    config: Annotated[
        Path | None, typer.Option("--config", "-c", help="Audit config laid over each map's own.")
    ] = None,
    log: Annotated[
        Path | None,
        typer.Option(
            "--log",
            help="An event log of the (one) journey: the report adds what customers did "
            "and draws it on the flow (columns as for `discover`: case_id, touchpoint, "
            "timestamp).",
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Write into an existing folder journeygraph did not write (files of the "
            "same name are replaced). A report folder journeygraph wrote is replaced anyway.",
        ),
    ] = False,
) -> None:
    """Write a client-ready report: report.html, report.md with its SVGs, and report.pdf."""
    from journeygraph.audit import audit
    from journeygraph.io.any import map_files
    from journeygraph.io.load import load_config
    from journeygraph.report.document import write_report
    from journeygraph.report.text_format import summary_line

    inputs = [*maps, *map_files(maps), *(before or []), config, log]
    check_output(output, inputs=inputs, force=force, folder=True)
    extra = load_config(config) if config else None
    journeys = _load_all(maps)
    results = [audit(m, config=extra) for m in journeys]
    earlier = {m.id: m for m in _load_all(before)} if before else {}
    evidence = {}
    if log is not None:
        if len(journeys) != 1:
            raise JourneyGraphError("--log goes with one map: give the map its log describes")
        from journeygraph.evidence import compare

        evidence[journeys[0].id] = compare(journeys[0], observe(log), config=extra)
    written = write_report(journeys, results, output, pdf=pdf, before=earlier, evidence=evidence)
    for path in written:
        if path.suffix != ".svg":
            _stderr.print(Text(f"wrote {path}"))
    _stderr.print(Text(summary_line(results)))


@app.command("export")
@_reports_errors
def export_command(
    map_file: MapArg,
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help="Target; its suffix sets the format: .xlsx (workbook), .graphml, .gexf "
            "(Gephi, yEd, Cytoscape), .mmd (Mermaid), .yaml (the map, normalised); a path "
            "without a suffix is a folder of CSV files.",
        ),
    ],
    force: ForceOpt = False,
) -> None:
    """Write a map for other tools: a workbook, CSV files, GraphML, GEXF, Mermaid, YAML."""
    from journeygraph.io.any import check_map_target, load_any

    check_map_target(output, inputs=[map_file], force=force)
    write_map(load_any(map_file), output)


def write_map(m: JourneyMap, output: Path) -> None:
    """Write ``m`` in the format ``output``'s suffix names (see ``export``)."""
    from journeygraph.audit import audit
    from journeygraph.io.any import MERMAID, save_any

    # Only the Mermaid flowchart draws findings: audit only for it.
    save_any(m, output, result=audit(m) if output.suffix.lower() in MERMAID else None)
    _stderr.print(Text(f"wrote {output}"))


@app.command("import")
@_reports_errors
def import_command(
    source: Annotated[
        Path,
        typer.Argument(
            metavar="FILE",
            help="An .xlsx workbook, a folder of CSV files, or GraphML written by journeygraph.",
        ),
    ],
    output: Annotated[Path, typer.Option("--output", "-o", help="The map file to write (YAML).")],
    force: ForceOpt = False,
) -> None:
    """Read a map from a workbook, CSV files or GraphML, and write it as YAML."""
    from journeygraph.io.any import load_any
    from journeygraph.io.write import save_map

    _claim(output, [source], force)
    m = load_any(source)
    save_map(m, output)
    _stderr.print(Text(f"wrote {output} ({len(m.touchpoints)} touchpoints)"))


@app.command("template")
@_reports_errors
def template_command(
    output: Annotated[Path, typer.Option("--output", "-o", help="The workbook to write (.xlsx).")],
    force: ForceOpt = False,
) -> None:
    """Write a workbook to fill in: a README sheet, headers, drop-down lists, a starter map."""
    from journeygraph.io.load import loads
    from journeygraph.io.workbook import write_workbook

    if output.suffix.lower() != ".xlsx":
        raise JourneyGraphError(f"{output}: the template is an .xlsx workbook")
    _claim(output, [], force)
    starter = loads(STARTER.read_text(encoding="utf-8"), "starter.yaml")
    write_workbook(starter, output)
    _stderr.print(
        Text(f"wrote {output}; fill it in, then: journeygraph import {output} -o map.yaml")
    )


@app.command("init")
@_reports_errors
def init_command(
    output: Annotated[Path, typer.Argument(help="Where to write the starter map.")] = Path(
        "journey.yaml"
    ),
    force: ForceOpt = False,
) -> None:
    """Write a commented starter map (five classic stages, common functions)."""
    _claim(output, [], force)
    atomic_write(output, STARTER.read_text(encoding="utf-8"))
    _stderr.print(Text(f"wrote {output}; next: journeygraph audit {output}"))


class DiffFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    MARKDOWN = "markdown"


@app.command("diff")
@_reports_errors
def diff_command(
    old: Annotated[Path, typer.Argument(metavar="OLD", help=f"The map before: {_MAP_FORMS}.")],
    new: Annotated[Path, typer.Argument(metavar="NEW", help=f"The map after: {_MAP_FORMS}.")],
    output_format: Annotated[
        DiffFormat, typer.Option("--format", "-f", help="markdown suits a pull-request comment.")
    ] = DiffFormat.TEXT,
    fail_on: Annotated[
        FailOn, typer.Option(help="Exit 1 when a new finding at or above this severity appeared.")
    ] = FailOn.MEDIUM,
    output: OutputOpt = None,
    force: ForceOpt = False,
) -> None:
    """Show what changed between two versions of a map, and which findings came and went."""
    from journeygraph.diff import diff_maps
    from journeygraph.io.any import load_any
    from journeygraph.model import Severity
    from journeygraph.report.diff_format import diff_json, diff_markdown, diff_text

    _claim(output, [old, new], force)
    changes = diff_maps(load_any(old), load_any(new))
    if output_format is DiffFormat.JSON:
        text = diff_json(changes)
    elif output_format is DiffFormat.MARKDOWN:
        text = diff_markdown(changes)
    else:
        text = diff_text(changes, color=_color(output), width=_width())
    _emit(text, output, styled=output_format is DiffFormat.TEXT)
    threshold = None if fail_on is FailOn.NEVER else Severity(fail_on.value)
    if threshold is not None and any(f.severity >= threshold for f in changes.appeared):
        raise typer.Exit(ExitCode.FINDINGS)


class WhatIfFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


@app.command("whatif")
@_reports_errors
def whatif_command(
    map_file: MapArg,
    remove_function: Annotated[
        list[str] | None,
        typer.Option("--remove-function", help="A function id to take away (repeatable)."),
    ] = None,
    remove_department: Annotated[
        list[str] | None,
        typer.Option("--remove-department", help="A department id to take away (repeatable)."),
    ] = None,
    output_format: Annotated[
        WhatIfFormat, typer.Option("--format", "-f", help="Output format.")
    ] = WhatIfFormat.TEXT,
    top: Annotated[int, typer.Option(min=1, help="How many functions the ranking shows.")] = 15,
) -> None:
    """What breaks if functions or departments go; without them, who the journey leans on."""
    from rich.table import Table

    from journeygraph.io.any import load_any
    from journeygraph.report.text_format import render_text, safe
    from journeygraph.whatif import dependence_ranking, what_if

    m = load_any(map_file)
    names = {f.id: f.label for f in m.functions}
    stage_names = {s.id: s.label for s in m.stages}
    if not remove_function and not remove_department:
        ranking = dependence_ranking(m)[:top]
        if output_format is WhatIfFormat.JSON:
            rows = [
                {**vars(d), "sole_stages": list(d.sole_stages), "score": d.score} for d in ranking
            ]
            _emit(
                json.dumps(
                    {"journey": m.id, "ranking": rows},
                    indent=2,
                    ensure_ascii=False,
                    allow_nan=False,
                )
                + "\n",
                None,
            )
            return
        table = Table(
            title=Text("Single points of failure: what depends on one function alone"),
            title_justify="left",
        )
        for column in ("Function", "Only R on", "Only A on", "Stages it alone covers", "Handoffs"):
            table.add_column(column)
        for d in ranking:
            table.add_row(
                safe(names[d.function]),
                safe(d.sole_responsible),
                safe(d.sole_accountable),
                safe(", ".join(stage_names[s] for s in d.sole_stages)),
                safe(d.handoffs),
            )
        _emit(render_text(table, color=_color(None), width=_width()), None, styled=True)
        return
    effect = what_if(m, functions=remove_function or (), departments=remove_department or ())
    if output_format is WhatIfFormat.JSON:
        _emit(
            json.dumps(
                {"journey": m.id, **effect.to_dict()}, indent=2, ensure_ascii=False, allow_nan=False
            )
            + "\n",
            None,
        )
        return
    touchpoints = {t.id: t.label for t in m.touchpoints}
    lines = [f"Without {', '.join(names[f] for f in effect.removed)}:"]
    for noun, what, ids, lookup in (
        ("touchpoint", "left without a Responsible", effect.without_responsible, touchpoints),
        ("touchpoint", "left without an Accountable", effect.without_accountable, touchpoints),
        ("stage", "left without a Responsible owner", effect.uncovered_stages, stage_names),
    ):
        listed = ": " + ", ".join(lookup[i] for i in ids) if ids else ""
        lines.append(f"  {_count(len(ids), noun)} {what}{listed}")
    lines.append(f"  {_count(len(effect.new_gaps), 'new handoff gap')}")
    lines += [f"    - {f.message}" for f in effect.new_gaps]
    _emit(printable("\n".join(lines) + "\n"), None)


def _claim(output: Path | None, inputs: list[Path | None], force: bool) -> None:
    """Refuse an output file that would replace an input or, without ``--force``, any file."""
    if output is not None:
        check_output(output, inputs=inputs, force=force)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


@app.command("rules")
@_reports_errors
def rules_command(
    output_format: Annotated[
        RulesFormat, typer.Option("--format", "-f", help="Output format.")
    ] = RulesFormat.TEXT,
) -> None:
    """List the audit rules."""
    from journeygraph import docs

    if output_format is RulesFormat.MARKDOWN:
        _emit(docs.rules_markdown(), None)
    elif output_format is RulesFormat.JSON:
        _emit(
            json.dumps(docs.rules_data(), indent=2, ensure_ascii=False, allow_nan=False) + "\n",
            None,
        )
    else:
        _emit(docs.rules_text(color=_color(None), width=_width()), None, styled=True)


@app.command("explain")
@_reports_errors
def explain_command(
    rule: Annotated[str, typer.Argument(help="A rule id, e.g. handoff-gap.")],
) -> None:
    """Explain one rule or conformance check: what it finds, why, how to fix it, examples."""
    from journeygraph import docs
    from journeygraph.evidence.rules import evidence_registry
    from journeygraph.rules import registry

    chosen = evidence_registry.get(rule) if rule in evidence_registry else registry.get(rule)
    _emit(docs.explain_text(chosen, color=_color(None), width=_width()), None, styled=True)


@app.command("schema")
@_reports_errors
def schema_command(output: OutputOpt = None, force: ForceOpt = False) -> None:
    """Print the JSON Schema of the map format (for editors and CI)."""
    from journeygraph import docs

    _claim(output, [], force)
    _emit(docs.schema_json(), output)


def _load_all(paths: list[Path]) -> list[JourneyMap]:
    from journeygraph.io.any import load_any, map_files

    files = list(map_files(paths))
    problems = []
    maps = []
    for file in files:
        try:
            maps.append(load_any(file))
        except MapError as err:
            problems.extend(err.problems)
    if problems:
        raise MapError(problems)
    return maps


def _render_audit(
    results: list[AuditResult], chosen: AuditFormat, output: Path | None, view: Portfolio | None
) -> str:
    chosen_formatter = formatter(OutputFormat(chosen.value), color=_color(output), width=_width())
    return chosen_formatter.audit(results, portfolio=view)


def _color(output: Path | None) -> bool:
    return output is None and sys.stdout.isatty()


def _width() -> int:
    return max(Console().width, 80) if sys.stdout.isatty() else 120


def _emit(text: str, output: Path | None, *, styled: bool = False) -> None:
    """Write a result to ``output`` or stdout; on a terminal, control characters written out.

    ``styled`` text comes from the text formatter, which has made its user text
    safe and may hold its own colour codes.
    """
    if output is None:
        if not styled and sys.stdout.isatty():
            text = printable(text)
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        atomic_write(output, text)
        _stderr.print(Text(f"wrote {output}"))


def main() -> None:
    """Run the command line (the ``journeygraph`` entry point)."""
    app()
