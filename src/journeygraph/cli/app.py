"""Commands: audit, validate, matrix, render, report, export, import, init, rules, explain, schema.

Results go to stdout (or ``--output``); progress, warnings and summaries go to
stderr. Exit codes are :class:`ExitCode`.
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer
from rich.text import Text

from journeygraph.escape import json_text, shown
from journeygraph.exceptions import JourneyGraphError
from journeygraph.io.files import atomic_write, check_output
from journeygraph.render import DEFAULT_MAX_FUNCTIONS, DEFAULT_MAX_TOUCHPOINTS, View
from journeygraph.report import OutputFormat, formatter

if TYPE_CHECKING:
    from journeygraph.evidence import ObservedFlow
    from journeygraph.model import JourneyMap
    from journeygraph.whatif import ToBe

from journeygraph.cli.common import (
    MAP_FORMS,
    ActionOwner,
    ActionsFormat,
    AuditFormat,
    DiffFormat,
    ExcludeRulesOpt,
    ExitCode,
    FailOn,
    ForceOpt,
    Industry,
    LogLimitOpt,
    MapArg,
    MapsArg,
    MatrixFormat,
    ObjectTypeOpt,
    OutputOpt,
    OwnerOpt,
    Paper,
    PerformerOpt,
    RulesFormat,
    RulesOpt,
    ThemeOpt,
    ToBeFormat,
    claim,
    color,
    emit,
    finish_audit,
    load_all,
    load_theme_file,
    observe_map,
    reports_errors,
    rule_names,
    stderr,
    width,
    write_map,
)

__all__ = ["ExitCode", "app", "main"]


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


@app.command("audit")
@reports_errors
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
    rules: RulesOpt = None,
    exclude_rules: ExcludeRulesOpt = None,
    force: ForceOpt = False,
) -> None:
    """Audit journey maps: findings to stdout, a summary to stderr."""
    from journeygraph.audit import audit_all
    from journeygraph.io.any import map_files
    from journeygraph.io.load import load_config
    from journeygraph.rules import registry

    chosen = registry.select(rule_names(rules), rule_names(exclude_rules))
    claim(output, [*maps, *map_files(maps), config, baseline], force)
    extra = load_config(config) if config else None
    journeys = load_all(maps)
    # The output of one map is made from its results alone (several make a
    # portfolio of the maps): the map, the largest thing held, goes first.
    results = audit_all(journeys, config=extra, rules=chosen)
    finish_audit(journeys, results, output_format, output, fail_on, baseline)


@app.command("validate")
@reports_errors
def validate_command(maps: MapsArg) -> None:
    """Check that maps are valid, without auditing them."""
    journeys = load_all(maps)
    for m in journeys:
        stderr.print(
            Text(
                f"{shown(m.source.file if m.source else m.id)}: valid ({len(m.stages)} stages, "
                f"{len(m.touchpoints)} touchpoints, {len(m.functions)} functions)"
            )
        )


@app.command("matrix")
@reports_errors
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

    claim(output, [map_file], force)
    m = load_any(map_file)
    matrix = coverage_matrix(m.to_networkx())
    chosen = formatter(OutputFormat(output_format.value), color=color(output), width=width())
    text = chosen.matrix(matrix, journey=m.journey.label)
    emit(text, output, styled=output_format is MatrixFormat.TEXT)


@app.command("render")
@reports_errors
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
        str | None, typer.Option(help="Flow and blueprint: draw only this stage (a stage id).")
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
            help="Flow: draw what customers did, from this event log (as for `discover`); "
            "work: who handed work to whom in it.",
        ),
    ] = None,
    performer: PerformerOpt = None,
    object_type: ObjectTypeOpt = None,
    limit: LogLimitOpt = None,
    one_row: Annotated[
        bool,
        typer.Option(
            "--one-row",
            help="Flow: keep the stages in one row, however wide (by default a flow wider "
            "than a landscape page wraps into rows of stages).",
        ),
    ] = False,
    persona: Annotated[
        str | None,
        typer.Option(help="Canvas: draw this persona's goals and emotion only (a persona id)."),
    ] = None,
    paper: Annotated[
        Paper,
        typer.Option(help="Canvas: the landscape sheet it is printed on (a3 for a poster)."),
    ] = Paper.A4,
    theme_file: ThemeOpt = None,
    force: ForceOpt = False,
) -> None:
    """Draw a diagram of a journey with its audit findings on it."""
    from journeygraph.io.any import load_any
    from journeygraph.render import diagram, format_of, log_layers, render
    from journeygraph.render.style import themed

    output_format = format_of(output)
    theme, theme_files = load_theme_file(theme_file)
    claim(output, [map_file, log, *theme_files], force)
    if view is View.CANVAS:
        if stage is not None or one_row:
            raise JourneyGraphError(
                "--stage and --one-row go with the flow and the blueprint; the canvas draws "
                "the whole journey (a big one in parts)"
            )
        with themed(theme):
            _canvas(
                map_file, output, output_format, log, performer, object_type, limit, persona, paper
            )
        return
    if persona is not None or paper is not Paper.A4:
        raise JourneyGraphError("--persona and --paper go with --view canvas")
    if log is not None and view is View.MATRIX:
        raise JourneyGraphError(
            "--log is drawn on the flow, work, handoffs and blueprint views, not the matrix"
        )
    if log is None and view is View.WORK:
        from journeygraph.render.work import NO_WORK

        raise JourneyGraphError(NO_WORK)
    m = load_any(map_file)
    overlay, work = None, None
    if log is not None:
        overlay, work = log_layers(view, m, observe_map(m, log, performer, object_type, limit))
    with themed(theme):
        drawn = diagram(
            view,
            m,
            stage=stage,
            max_touchpoints=max_touchpoints,
            max_functions=max_functions,
            overlay=overlay,
            work=work,
            wrap=not one_row,
        )
    if drawn.note:
        stderr.print(Text(f"note: {drawn.note}"), style="yellow")
    atomic_write(output, render(drawn.dot, output_format))
    stderr.print(Text(f"wrote {shown(output)}"))


def _canvas(
    map_file: Path,
    output: Path,
    output_format: str,
    log: Path | None,
    performer: str | None,
    object_type: str | None,
    limit: list[str] | None,
    persona: str | None,
    paper: Paper,
) -> None:
    """``render --view canvas``: the journey canvas, with the log's figures when given."""
    from journeygraph.io.any import load_any
    from journeygraph.render.journey_canvas import journey_canvas
    from journeygraph.report.diagrams import canvas_bytes

    m = load_any(map_file)
    evidence = None
    if log is not None:
        from journeygraph.evidence import compare

        flow = observe_map(m, log, performer, object_type, limit)
        evidence = compare(m, flow)
    sheet: Literal["a4", "a3"] = "a3" if paper is Paper.A3 else "a4"
    pages = journey_canvas(m, evidence=evidence, persona=persona, paper=sheet)
    if len(pages) > 1:
        stderr.print(
            Text(f"note: the canvas is too big for one sheet: printed in {len(pages)} parts"),
            style="yellow",
        )
    atomic_write(output, canvas_bytes(pages, output_format, sheet))
    stderr.print(Text(f"wrote {shown(output)}"))


@app.command("report")
@reports_errors
def report_command(
    maps: MapsArg,
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Folder to write the report into.")
    ],
    pdf: Annotated[bool, typer.Option("--pdf", help="Also print report.pdf (Chromium).")] = False,
    pptx: Annotated[
        bool, typer.Option("--pptx", help="Also write report.pptx: slides to present.")
    ] = False,
    pptx_template: Annotated[
        Path | None,
        typer.Option(
            "--pptx-template",
            help="Build the slides on this PowerPoint template's masters, layouts and theme "
            "(.pptx or .potx, 16:9; implies --pptx).",
        ),
    ] = None,
    title: Annotated[
        str | None, typer.Option("--title", help="The report's title (on its cover).")
    ] = None,
    client: Annotated[
        str | None,
        typer.Option(
            "--client", help="Who the report is for (on its cover, header and page footers)."
        ),
    ] = None,
    author: Annotated[
        str | None,
        typer.Option("--author", help="Who wrote it (on its cover, header and page footers)."),
    ] = None,
    date: Annotated[
        str | None,
        typer.Option(
            "--date",
            help="The report's date as it is to be printed (cover, header and page footers); "
            "today by default.",
        ),
    ] = None,
    logo: Annotated[
        Path | None,
        typer.Option("--logo", help="A logo for the cover: a .png, .jpg or .svg file."),
    ] = None,
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
    performer: PerformerOpt = None,
    object_type: ObjectTypeOpt = None,
    limit: LogLimitOpt = None,
    owner: OwnerOpt = ActionOwner.FUNCTION,
    to_be: Annotated[
        Path | None,
        typer.Option(
            "--to-be",
            help="A scenario.yaml (changes to the map) or a to-be map written whole: the "
            "report adds the as-is and the to-be side by side, with both canvases (one map; "
            "with --log, replayed on the customers' real paths).",
        ),
    ] = None,
    theme_file: ThemeOpt = None,
    full: Annotated[
        bool,
        typer.Option(
            "--full",
            help="The long form for analysts: every part of each journey in turn, no "
            "appendix. By default a short body (summary, canvas, scorecard, top ten "
            "actions, key diagrams) and an appendix with the rest.",
        ),
    ] = False,
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
    from journeygraph.algorithms.facts import GraphFacts
    from journeygraph.audit import audit
    from journeygraph.diff import earlier_versions
    from journeygraph.io.any import map_files
    from journeygraph.io.load import load_config
    from journeygraph.report.text_format import summary_line
    from journeygraph.report.writer import write_report

    inputs = [*maps, *map_files(maps), *(before or []), config, log, logo, pptx_template, to_be]
    theme, theme_files = load_theme_file(theme_file)
    check_output(output, inputs=[*inputs, *theme_files], force=force, folder=True)
    extra = load_config(config) if config else None
    journeys = load_all(maps)
    if to_be is not None and len(journeys) != 1:
        raise JourneyGraphError("--to-be goes with one map: give the map it redesigns")
    # Each map's graph, built once: the audit reads it, and so does every part of the report.
    graphs = [m.to_networkx() for m in journeys]
    # Their derived views (the RACI sets, the transitions), read by the rules and the report.
    facts = [GraphFacts(G) for G in graphs]
    results = [
        audit(m, config=extra, graph=F.G, facts=F) for m, F in zip(journeys, facts, strict=True)
    ]
    earlier = earlier_versions(load_all(before) if before else [], journeys)
    evidence = {}
    observed = None
    if log is not None:
        if len(journeys) != 1:
            raise JourneyGraphError("--log goes with one map: give the map its log describes")
        from journeygraph.evidence import compare

        observed = observe_map(journeys[0], log, performer, object_type, limit)
        evidence[journeys[0].id] = compare(journeys[0], observed, config=extra)
    redesigns = {}
    if to_be is not None:
        from journeygraph.scenario import load_to_be
        from journeygraph.whatif import compare_to_be

        m = journeys[0]
        redesigns[m.id] = compare_to_be(m, load_to_be(m, to_be), flow=observed)
    from journeygraph.report.html_report import logo_uri

    cover = {
        "title": title,
        "client": client,
        "author": author,
        "date": date,
        "logo": logo_uri(logo) if logo is not None else None,
    }
    written = write_report(
        journeys,
        results,
        output,
        pdf=pdf,
        pptx=pptx or pptx_template is not None,
        pptx_template=pptx_template,
        before=earlier,
        evidence=evidence,
        cover=cover,
        owners=owner.value,
        to_be=redesigns,
        full=full,
        theme=theme,
        config=extra,
        graphs=graphs,
        facts=facts,
    )
    for path in written:
        if path.suffix != ".svg":
            stderr.print(Text(f"wrote {shown(path)}"))
    logs = [evidence[m.id].conformance if m.id in evidence else None for m in journeys]
    stderr.print(Text(summary_line(results, logs)))


@app.command("export")
@reports_errors
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


@app.command("import")
@reports_errors
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

    claim(output, [source], force)
    m = load_any(source)
    save_map(m, output)
    stderr.print(Text(f"wrote {shown(output)} ({len(m.touchpoints)} touchpoints)"))


@app.command("template")
@reports_errors
def template_command(
    output: Annotated[Path, typer.Option("--output", "-o", help="The workbook to write (.xlsx).")],
    force: ForceOpt = False,
) -> None:
    """Write a workbook to fill in: a README sheet, headers, drop-down lists, a starter map."""
    from journeygraph.io.load import loads
    from journeygraph.io.workbook import write_workbook

    if output.suffix.lower() != ".xlsx":
        raise JourneyGraphError(f"{output}: the template is an .xlsx workbook")
    claim(output, [], force)
    from journeygraph.starters import starter

    write_workbook(loads(starter(None, output.name), "starter.yaml"), output)
    stderr.print(
        Text(
            f"wrote {shown(output)}; fill it in, then: "
            f"journeygraph import {shown(output)} -o map.yaml"
        )
    )


@app.command("init")
@reports_errors
def init_command(
    output: Annotated[Path, typer.Argument(help="Where to write the starter map.")] = Path(
        "journey.yaml"
    ),
    industry: Annotated[
        Industry | None,
        typer.Option(
            help="Start from an industry's example: personas, pain points, SLAs, an outside "
            "firm, capacity and an audit section."
        ),
    ] = None,
    force: ForceOpt = False,
) -> None:
    """Write a commented starter map (five classic stages, common functions)."""
    from journeygraph.starters import starter

    claim(output, [], force)
    atomic_write(output, starter(None if industry is None else industry.value, output.name))
    stderr.print(Text(f"wrote {shown(output)}; next: journeygraph audit {shown(output)}"))


@app.command("diff")
@reports_errors
def diff_command(
    old: Annotated[Path, typer.Argument(metavar="OLD", help=f"The map before: {MAP_FORMS}.")],
    new: Annotated[Path, typer.Argument(metavar="NEW", help=f"The map after: {MAP_FORMS}.")],
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

    claim(output, [old, new], force)
    changes = diff_maps(load_any(old), load_any(new))
    chosen = formatter(output_format, color=color(output), width=width())
    emit(chosen.diff(changes), output, styled=output_format is DiffFormat.TEXT)
    if fail_on.fails(finding.severity for finding in changes.appeared):
        raise typer.Exit(ExitCode.FINDINGS)


@app.command("whatif")
@reports_errors
def whatif_command(
    map_file: MapArg,
    to_be: Annotated[
        Path | None,
        typer.Option(
            "--to-be",
            help="A scenario.yaml (changes to the map) or a to-be map written whole: the "
            "as-is and the to-be side by side.",
        ),
    ] = None,
    log: Annotated[
        Path | None,
        typer.Option(
            "--log",
            help="With --to-be or --suggest: an event log of the journey, whose customers' "
            "paths are replayed against the organisations.",
        ),
    ] = None,
    suggest: Annotated[
        bool,
        typer.Option(
            "--suggest",
            help="Rank single changes (declare a missing handoff, move R to the neighbouring "
            "step's function, give an unowned touchpoint the stage's Accountable) and show "
            "the --top best, each with its scenario.",
        ),
    ] = False,
    max_changes: Annotated[
        int,
        typer.Option(
            "--max-changes",
            min=1,
            help="With --suggest: a plan of up to this many changes, each the best on the "
            "map the ones before it leave (1: the ranking of single changes).",
        ),
    ] = 1,
    remove_function: Annotated[
        list[str] | None,
        typer.Option("--remove-function", help="A function id to take away (repeatable)."),
    ] = None,
    remove_department: Annotated[
        list[str] | None,
        typer.Option("--remove-department", help="A department id to take away (repeatable)."),
    ] = None,
    output_format: Annotated[
        ToBeFormat,
        typer.Option("--format", "-f", help="Output format (markdown: with --to-be or --suggest)."),
    ] = ToBeFormat.TEXT,
    top: Annotated[
        int | None,
        typer.Option(min=1, help="How many functions the ranking shows (15), or suggestions (10)."),
    ] = None,
    output: OutputOpt = None,
    force: ForceOpt = False,
) -> None:
    """What breaks if functions or departments go, who the journey leans on, what a to-be
    organisation changes, or which single change does the most good (with --log, on the
    customers' own paths)."""
    from journeygraph.io.any import load_any
    from journeygraph.whatif import dependence_ranking, what_if

    asked = [to_be is not None, suggest, bool(remove_function or remove_department)]
    if sum(asked) > 1:
        raise JourneyGraphError(
            "give one of --to-be, --suggest, or functions and departments to remove"
        )
    if log is not None and not (to_be is not None or suggest):
        raise JourneyGraphError("--log replays customers' paths with --to-be or --suggest")
    if max_changes > 1 and not suggest:
        raise JourneyGraphError("--max-changes plans changes with --suggest; give it")
    claim(output, [map_file, to_be, log], force)
    m = load_any(map_file)
    chosen = formatter(output_format, color=color(output), width=width())
    if to_be is not None:
        text = chosen.to_be(_to_be(m, to_be, log))
    elif suggest:
        from journeygraph.whatif import suggest as suggestions
        from journeygraph.whatif import suggest_plan

        flow = _flow(m, log)
        if max_changes > 1:
            plan = suggest_plan(m, flow=flow, max_changes=max_changes)
            text = chosen.suggestions(plan, plan=True)
        else:
            text = chosen.suggestions(suggestions(m, flow=flow, top=top or 10))
    elif not remove_function and not remove_department:
        text = chosen.dependence(m, dependence_ranking(m)[: top or 15])
    else:
        effect = what_if(m, functions=remove_function or (), departments=remove_department or ())
        text = chosen.whatif(m, effect)
    emit(text, output, styled=output_format is ToBeFormat.TEXT)


def _to_be(m: JourneyMap, to_be: Path, log: Path | None) -> ToBe:
    from journeygraph.scenario import load_to_be
    from journeygraph.whatif import compare_to_be

    return compare_to_be(m, load_to_be(m, to_be), flow=_flow(m, log))


def _flow(m: JourneyMap, log: Path | None) -> ObservedFlow | None:
    if log is None:
        return None
    return observe_map(m, log)


@app.command("actions")
@reports_errors
def actions_command(
    map_file: MapArg,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write the plan here instead of stdout, in the format its suffix says: "
            ".csv, .json, .md, .txt, or .xlsx (a workbook for a tracker: filters, a status "
            "drop-down).",
        ),
    ] = None,
    output_format: Annotated[
        ActionsFormat | None,
        typer.Option(
            "--format", "-f", help="Output format (default: from -o's suffix, else text)."
        ),
    ] = None,
    log: Annotated[
        Path | None,
        typer.Option(
            "--log",
            help="An event log of the journey: actions are weighed by the customers they "
            "touch and the log's checks join them (as for `discover`).",
        ),
    ] = None,
    performer: PerformerOpt = None,
    object_type: ObjectTypeOpt = None,
    limit: LogLimitOpt = None,
    config: Annotated[
        Path | None,
        typer.Option("--config", "-c", help="Audit config laid over the map's own."),
    ] = None,
    owner: OwnerOpt = ActionOwner.FUNCTION,
    theme_file: Annotated[
        Path | None,
        typer.Option(
            "--theme",
            help="The workbook (-o plan.xlsx): a theme.yaml's fonts and severity colours "
            "(docs/theme.md).",
        ),
    ] = None,
    force: ForceOpt = False,
) -> None:
    """The action plan: findings grouped into decisions, each with an owner and a priority."""
    from journeygraph.actions import action_plan
    from journeygraph.audit import audit
    from journeygraph.io.any import load_any
    from journeygraph.io.load import load_config
    from journeygraph.report.actions_format import plan_format

    chosen_format = plan_format(output, output_format.value if output_format else None)
    if theme_file is not None and chosen_format != "xlsx":
        raise JourneyGraphError("--theme goes with a workbook: -o plan.xlsx")
    theme, theme_files = load_theme_file(theme_file)
    claim(output, [map_file, log, config, *theme_files], force)
    m = load_any(map_file)
    extra = load_config(config) if config else None
    result = audit(m, config=extra)
    evidence = None
    if log is not None:
        from journeygraph.evidence import compare

        observed = observe_map(m, log, performer, object_type, limit)
        evidence = compare(m, observed, config=extra)
    plan = action_plan(m, result, evidence, owners=owner.value)
    if output is not None and chosen_format == "xlsx":
        from journeygraph.report.downloads import plan_document

        atomic_write(output, plan_document(m, plan, "xlsx", theme=theme))
        stderr.print(Text(f"wrote {shown(output)}: {len(plan)} actions"))
        return
    chosen = formatter(OutputFormat(chosen_format), color=color(output), width=width())
    emit(chosen.actions(plan), output, styled=chosen_format == "text")


@app.command("rules")
@reports_errors
def rules_command(
    output_format: Annotated[
        RulesFormat, typer.Option("--format", "-f", help="Output format.")
    ] = RulesFormat.TEXT,
) -> None:
    """List the audit rules and the checks of a map against an event log."""
    from journeygraph import docs

    if output_format is RulesFormat.MARKDOWN:
        emit(docs.rules_markdown_all(), None)
    elif output_format is RulesFormat.JSON:
        emit(
            json_text(docs.rules_data(), indent=2) + "\n",
            None,
        )
    else:
        emit(docs.rules_text(color=color(None), width=width()), None, styled=True)


@app.command("explain")
@reports_errors
def explain_command(
    rule: Annotated[str, typer.Argument(help="A rule id, e.g. handoff-gap.")],
) -> None:
    """Explain one rule or conformance check: what it finds, why, how to fix it, examples."""
    from journeygraph import docs

    emit(
        docs.explain_text(docs.find_rule(rule), color=color(None), width=width()), None, styled=True
    )


@app.command("schema")
@reports_errors
def schema_command(output: OutputOpt = None, force: ForceOpt = False) -> None:
    """Print the JSON Schema of the map format (for editors and CI)."""
    from journeygraph import docs

    claim(output, [], force)
    emit(docs.schema_json(), output)


@app.command("serve")
@reports_errors
def serve_command(
    maps: MapsArg,
    log: Annotated[
        Path | None,
        typer.Option("--log", help="Draw what customers did, from this event log, on the flow."),
    ] = None,
    host: Annotated[
        str,
        typer.Option(help="Address to listen on; any but the loopback requires the printed token."),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port; 0 takes a free one.")] = 8765,
    performer: PerformerOpt = None,
    object_type: ObjectTypeOpt = None,
    limit: LogLimitOpt = None,
) -> None:
    """Serve the maps as a live workshop page that a room edits together; prints its address."""
    from journeygraph.io.any import map_files
    from journeygraph.serve import serve  # without starlette: says to install [serve]

    files = list(map_files(maps))
    flow = None
    if log is not None:
        from journeygraph.io.any import load_any

        if len(files) != 1:
            raise JourneyGraphError("--log draws one journey's log: serve one map with it")
        flow = observe_map(load_any(files[0]), log, performer, object_type, limit)
    serve(files, flow=flow, host=host, port=port, say=lambda address: print(address, flush=True))


def main() -> None:
    """Run the command line (the ``journeygraph`` entry point)."""
    _for_the_command(sys.argv[1:])()


def _for_the_command(args: list[str]) -> typer.Typer:
    """``app`` with only the command ``args`` name, when they name one.

    Typer builds every registered command's parameters (reading each signature's
    annotations) before it runs one: a fifth of ``validate``'s time. When the first
    argument names a command, the tree holds that one; anything else (no command, a
    misspelt one, ``--help`` before one, which lists them all) gets the whole tree.

    Examples
    --------
    >>> [c.name for c in _for_the_command(["validate", "map.yaml"]).registered_commands]
    ['validate']
    >>> _for_the_command(["--help", "validate"]) is app
    True
    """
    name = args[0] if args else None
    commands = [c for c in app.registered_commands if c.name == name]
    groups = [g for g in app.registered_groups if g.name == name]
    if not commands and not groups:
        return app
    one = copy.copy(app)
    one.registered_commands = commands
    one.registered_groups = groups
    return one
