"""What the commands share: exit codes, options, error reporting, and output.

Results go to stdout (or ``--output``); progress, warnings and summaries go to
stderr, through :data:`stderr`, which writes control characters out.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sys
from collections.abc import Callable, Iterator
from enum import IntEnum, StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeAlias, TypeVar

import typer
from rich.console import Console
from rich.text import Text

from journeygraph._discover import rule_names
from journeygraph._gc import paused_gc
from journeygraph._start import interrupt_within
from journeygraph.escape import count, printable, shown
from journeygraph.exceptions import JourneyGraphError, MapError
from journeygraph.extras import missing_extra
from journeygraph.io.files import atomic_write, check_output
from journeygraph.report import Output, OutputFormat, formats_for
from journeygraph.severity import FailOn
from journeygraph.starters import INDUSTRIES

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

    from journeygraph.audit import AuditResult
    from journeygraph.evidence import Columns, ObservedFlow
    from journeygraph.evidence.reading.limits import LogLimits
    from journeygraph.evidence.reading.segment import Segment
    from journeygraph.model import JourneyMap
    from journeygraph.theme import Theme


__all__ = [
    "MAP_FORMS",
    "ActionsFormat",
    "AuditFormat",
    "DiffFormat",
    "ExcludeRulesOpt",
    "ExitCode",
    "FailOn",
    "ForceOpt",
    "LogLimitOpt",
    "MapArg",
    "MapsArg",
    "MatrixFormat",
    "ObjectTypeOpt",
    "OutputOpt",
    "Paper",
    "PerformerOpt",
    "RulesFormat",
    "RulesOpt",
    "SafeConsole",
    "TableFormat",
    "ThemeOpt",
    "ToBeFormat",
    "WhatIfFormat",
    "claim",
    "color",
    "count",
    "emit",
    "finish_audit",
    "load_all",
    "load_theme_file",
    "log_limits",
    "observe",
    "reports_errors",
    "rule_names",
    "segment_of",
    "stderr",
    "width",
    "write_map",
]


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


def _choices(name: str, output: Output) -> Any:
    # The --format choices of a command: the formats the library can write its
    # output in (report.base.CAPABILITIES), never a list of its own.
    return StrEnum(name, [(choice.name, choice.value) for choice in formats_for(output)])


if TYPE_CHECKING:  # each is a subset of OutputFormat, whose members it shares by name
    AuditFormat: TypeAlias = OutputFormat
    MatrixFormat: TypeAlias = OutputFormat
    TableFormat: TypeAlias = OutputFormat
    DiffFormat: TypeAlias = OutputFormat
    WhatIfFormat: TypeAlias = OutputFormat
    ToBeFormat: TypeAlias = OutputFormat
    ActionsFormat: TypeAlias = OutputFormat
    RulesFormat: TypeAlias = OutputFormat
else:
    AuditFormat = _choices("AuditFormat", Output.AUDIT)
    MatrixFormat = _choices("MatrixFormat", Output.MATRIX)
    TableFormat = _choices("TableFormat", Output.TABLE)
    DiffFormat = _choices("DiffFormat", Output.DIFF)
    WhatIfFormat = _choices("WhatIfFormat", Output.WHATIF)
    ToBeFormat = _choices("ToBeFormat", Output.TO_BE)
    ActionsFormat = _choices("ActionsFormat", Output.ACTIONS)
    RulesFormat = _choices("RulesFormat", Output.RULES)


class Lifecycle(StrEnum):
    """Which events of an XES log to keep, by their ``lifecycle:transition``."""

    COMPLETE = "complete"
    ALL = "all"


class Engine(StrEnum):
    """Where ``discover`` computes a log's aggregates."""

    DUCKDB = "duckdb"
    SPARK = "spark"


def spark_of(master: str | None) -> SparkSession:
    """The Spark session ``--engine spark`` runs in (one clear error when it cannot start)."""
    from journeygraph.evidence.reading.spark_table import spark_session

    return spark_session(master)


if TYPE_CHECKING:
    Industry: TypeAlias = StrEnum
else:
    # The industries with a starter map: the library's list, never one of our own.
    Industry = StrEnum("Industry", [(i.replace("-", "_"), i) for i in INDUSTRIES])


class SafeConsole(Console):
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


stderr = SafeConsole(stderr=True, highlight=False, markup=False, emoji=False, soft_wrap=True)


_F = TypeVar("_F", bound=Callable[..., Any])


def observe(
    log: Path,
    columns: Columns | None = None,
    *,
    warn: bool = True,
    **options: Any,
) -> ObservedFlow:
    """:func:`journeygraph.evidence.conformance.observe.observe`, saying on stderr what it left out.

    Rows left out are said on stderr (never dropped silently; ``warn=False``
    when the command's own output lists them where the user reads it), and a
    terminal sees what is being done.
    """
    from journeygraph.evidence.conformance.observe import observe as read

    return _said(log, lambda progress: read(log, columns, progress=progress, **options), warn)


def observe_map(
    m: JourneyMap,
    log: Path,
    performer: str | None = None,
    object_type: str | None = None,
    limit: list[str] | None = None,
) -> ObservedFlow:
    """:func:`journeygraph.evidence.conformance.observe.observe_map` for the commands that take one
    map's log (``--log``, ``--performer``, ``--object-type``, ``--limit``)."""
    from journeygraph.evidence.conformance.observe import observe_map as read

    limits = log_limits(limit)
    return _said(
        log,
        lambda progress: read(
            m, log, performer=performer, object_type=object_type, limits=limits, progress=progress
        ),
        True,
    )


def _said(
    log: Path, read: Callable[[Callable[[str], None] | None], ObservedFlow], warn: bool
) -> ObservedFlow:
    from journeygraph._discover import log_notes

    status = stderr.status(f"reading {log}") if stderr.is_terminal else None
    with status or contextlib.nullcontext():
        flow = read(status.update if status is not None else None)
    for text, style in log_notes(log, flow, warn=warn):
        stderr.print(Text(text, style=style) if style else Text(text))
    return flow


def segment_of(since: str | None, until: str | None, where: list[str] | None) -> Segment:
    """The segment ``--since``, ``--until`` and ``--where`` describe
    (:func:`journeygraph.evidence.conformance.observe.segment`)."""
    from journeygraph.evidence.conformance.observe import segment

    return segment(since, until, where)


def reports_errors(command: _F) -> _F:
    """Turn journeygraph's own errors into one clear message and exit code 2."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            # A command is one short run over data without reference cycles.
            with paused_gc(), _renamed_rules_said():
                return command(*args, **kwargs)
        except MapError as err:
            for problem in err.problems:
                stderr.print(Text(str(problem)), soft_wrap=True)
            files = {p.location.file for p in err.problems if p.location}
            where = f" in {', '.join(sorted(files))}" if files else ""
            n = len(err.problems)
            stderr.print(
                Text(
                    f"journeygraph: {count(n, 'problem')}{where}; "
                    f"fix {'them' if n != 1 else 'it'} and run again.",
                    style="bold red",
                )
            )
            raise typer.Exit(ExitCode.ERROR) from None
        except JourneyGraphError as err:
            stderr.print(Text(f"journeygraph: {err}", style="bold red"), soft_wrap=True)
            raise typer.Exit(ExitCode.ERROR) from None
        except OSError as err:
            where = f"{shown(err.filename)}: " if err.filename else ""
            stderr.print(Text(f"journeygraph: {where}{err.strerror or err}", style="bold red"))
            raise typer.Exit(ExitCode.ERROR) from None
        except KeyboardInterrupt:
            # journeygraph._start says so, for an interrupt here or anywhere else.
            raise typer.Exit(130) from None
        except MemoryError:
            stderr.print(
                Text("journeygraph: out of memory; the input is too large", style="bold red")
            )
            raise typer.Exit(ExitCode.ERROR) from None
        except (typer.Exit, typer.Abort, typer.TyperException, SystemExit):
            raise
        except Exception as err:
            code = _unexpected(err)
            if code is None:  # JOURNEYGRAPH_DEBUG: the traceback
                raise
            raise typer.Exit(code) from None

    return wrapper  # type: ignore[return-value]


def _unexpected(err: Exception) -> int | None:
    """Say what an error journeygraph did not raise on purpose means; its exit code.

    None with ``JOURNEYGRAPH_DEBUG`` set and a bug behind it: the caller re-raises.
    """
    if (missing := missing_extra(err)) is not None:
        # A library of an extra the install left out: what to install, not a bug.
        stderr.print(Text(f"journeygraph: {missing}", style="bold red"), soft_wrap=True)
        return ExitCode.ERROR
    if interrupt_within(err):
        # Ctrl-C caught inside a library (an extension loading, a query) and
        # raised again as its own error: still the user's interrupt.
        return 130
    if os.environ.get("JOURNEYGRAPH_DEBUG"):
        return None
    stderr.print(
        Text(
            f"journeygraph: internal error ({type(err).__name__}: {err}). This is a "
            "bug in journeygraph, not in your input: please report it with the "
            "command you ran (JOURNEYGRAPH_DEBUG=1 shows the traceback).",
            style="bold red",
        )
    )
    return ExitCode.INTERNAL


@contextlib.contextmanager
def _renamed_rules_said() -> Iterator[None]:
    """A rule named by its old id (a config, a waiver, --rules) is said once, in one line."""
    import warnings

    from journeygraph.exceptions import RenamedRuleWarning

    shown = warnings.showwarning
    said: set[str] = set()

    def show(message: Any, category: Any, *rest: Any, **kwargs: Any) -> None:
        if isinstance(category, type) and issubclass(category, RenamedRuleWarning):
            if str(message) not in said:
                said.add(str(message))
                stderr.print(Text(f"journeygraph: warning: {message}", style="yellow"))
            return
        shown(message, category, *rest, **kwargs)

    with warnings.catch_warnings():
        warnings.simplefilter("always", RenamedRuleWarning)
        warnings.showwarning = show
        yield


RulesOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--rules",
        help="Run only these rules or groups (comma-separated, or the option repeated); "
        "`journeygraph rules` lists them.",
    ),
]
ExcludeRulesOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--exclude-rules", help="Do not run these rules or groups (comma-separated, or repeated)."
    ),
]


MAP_FORMS = "a YAML map, an .xlsx workbook or a folder of CSV map files"


MapArg = Annotated[Path, typer.Argument(metavar="MAP", help=f"The journey: {MAP_FORMS}.")]


MapsArg = Annotated[
    list[Path],
    typer.Argument(
        metavar="MAP",
        help="Journey maps: YAML or .xlsx files, CSV map folders, or folders of maps.",
        show_default=False,
    ),
]


ThemeOpt = Annotated[
    Path | None,
    typer.Option(
        "--theme",
        help="A theme.yaml: colours of severities and RACI roles, fonts, logo and cover "
        "text (docs/theme.md).",
    ),
]


def load_theme_file(path: Path | None) -> tuple[Theme | None, list[Path]]:
    """The theme in ``path`` (``--theme``), or ``None`` for the default look, and the
    files it reads (the theme file and its logo): inputs no output may replace."""
    if path is None:
        return None, []
    from journeygraph.io.theme import load_theme

    theme = load_theme(path)
    return theme, [path, *([theme.logo] if theme.logo else [])]


OutputOpt = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Write the result to this file instead of stdout."),
]


PerformerOpt = Annotated[
    str | None,
    typer.Option(
        "--performer",
        help="CSV and Parquet logs: the column saying who performed each event (a person or "
        "a team); OCEL: the event attribute (default org:resource, resource, org:group). XES "
        "logs give it as org:resource (else org:group).",
    ),
]


LogLimitOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--limit",
        metavar="NAME=VALUE",
        help="Raise a bound of log reading (repeatable): inflated (gzip, 4GB), value "
        "(2MB), text (64MB), rows (OCEL, 20000000), name (1000 characters), touchpoints "
        "(1000), transitions (10000), problems (20). See docs/guarantees.md.",
    ),
]


def log_limits(given: list[str] | None) -> LogLimits:
    """``--limit NAME=VALUE`` options as the log reader's bounds (a bad one refused)."""
    from journeygraph.evidence.reading.limits import LogLimits

    return LogLimits.parse(given or [])


ObjectTypeOpt = Annotated[
    str | None,
    typer.Option(
        "--object-type",
        help="OCEL 2.0 logs: the object type that plays the customer (each object a case; an "
        "event related to several counts for each). Needed when the log has several.",
    ),
]


class Paper(StrEnum):
    """The landscape sheet the journey canvas is printed on."""

    A4 = "a4"
    A3 = "a3"


class ActionOwner(StrEnum):
    """Who owns an action of the plan."""

    FUNCTION = "function"
    DEPARTMENT = "department"


OwnerOpt = Annotated[
    ActionOwner,
    typer.Option(
        "--owner",
        help="Who owns each action: the Accountable function of what it is about, or "
        "its department (for the department's lead).",
    ),
]


ForceOpt = Annotated[
    bool,
    typer.Option(
        "--force", help="Replace an existing output file (never one of the command's inputs)."
    ),
]


def finish_audit(
    journeys: list[JourneyMap],
    results: list[AuditResult],
    output_format: AuditFormat,
    output: Path | None,
    fail_on: FailOn,
    baseline: Path | None,
) -> None:
    """Print audit results as ``audit`` does and exit with its exit code."""
    from journeygraph.report.audit_output import audit_output

    out = audit_output(
        journeys,
        results,
        output_format.value,
        baseline=baseline,
        color=color(output),
        width=width(),
    )
    emit(out.text, output, styled=output_format is AuditFormat.TEXT)
    for note in out.notes:
        stderr.print(Text(note))
    for warning in out.warnings:
        stderr.print(Text(warning), style="yellow")
    if output_format is not AuditFormat.TEXT or output is not None:
        stderr.print(Text(out.summary))
    if fail_on.fails(finding.severity for r in out.results for finding in r.findings):
        raise typer.Exit(ExitCode.FINDINGS)


def write_map(m: JourneyMap, output: Path) -> None:
    """Write ``m`` in the format ``output``'s suffix names (see ``export``)."""
    from journeygraph.audit import audit
    from journeygraph.io.any import MERMAID, save_any

    # Only the Mermaid flowchart draws findings: audit only for it.
    save_any(m, output, result=audit(m) if output.suffix.lower() in MERMAID else None)
    stderr.print(Text(f"wrote {shown(output)}"))


def claim(output: Path | None, inputs: list[Path | None], force: bool) -> None:
    """Refuse an output file that would replace an input or, without ``--force``, any file."""
    if output is not None:
        check_output(output, inputs=inputs, force=force)


def load_all(paths: list[Path]) -> list[JourneyMap]:
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


def color(output: Path | None) -> bool:
    return output is None and sys.stdout.isatty()


def width() -> int:
    return max(Console().width, 80) if sys.stdout.isatty() else 120


def emit(text: str, output: Path | None, *, styled: bool = False) -> None:
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
        stderr.print(Text(f"wrote {shown(output)}"))
