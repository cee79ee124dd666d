"""``journeygraph scenario``: to-be scenarios, a redesign written as changes to a map."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from journeygraph.cli.app import app
from journeygraph.cli.common import MAP_FORMS, ForceOpt, MapArg, claim, emit, reports_errors, stderr
from journeygraph.escape import count, shown

__all__ = ["scenario_app"]

scenario_app = typer.Typer(
    help="To-be scenarios: apply a redesign (scenario.yaml) to a map.", no_args_is_help=True
)
app.add_typer(scenario_app, name="scenario")

ScenarioArg = Annotated[
    Path,
    typer.Argument(metavar="SCENARIO", help="The changes, a scenario.yaml (see docs/scenario.md)."),
]


@scenario_app.command("apply")
@reports_errors
def apply_command(
    map_file: MapArg,
    scenario_file: ScenarioArg,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write the to-be map here instead of stdout: YAML keeps the map file's "
            f"comments and layout; other suffixes write that form ({MAP_FORMS}).",
        ),
    ] = None,
    force: ForceOpt = False,
) -> None:
    """Write the to-be map: the map with the scenario's changes made, in order."""
    from journeygraph.scenario import apply, load_scenario
    from journeygraph.scenario.text import YAML_SUFFIXES, to_be_text

    claim(output, [map_file, scenario_file], force)
    if output is not None:
        from journeygraph.io.any import check_map_target

        # A suffix no map is written in is refused before any work.
        check_map_target(output, inputs=[map_file, scenario_file], force=force)
    scenario = load_scenario(scenario_file)
    if output is None or output.suffix.lower() in YAML_SUFFIXES:
        written = to_be_text(map_file, scenario)
        if not written.layout_kept and map_file.suffix.lower() in YAML_SUFFIXES:
            stderr.print(
                Text(
                    f"note: the to-be map is written afresh, without the comments of "
                    f"{shown(map_file)}: the file shares parts through YAML anchors, or its "
                    "layout cannot be edited in place"
                )
            )
        emit(written.text, output)
    else:
        from journeygraph.cli.common import write_map
        from journeygraph.io.any import load_any

        write_map(apply(load_any(map_file), scenario), output)
    stderr.print(Text(f"{count(len(scenario.changes), 'change')} applied"))
