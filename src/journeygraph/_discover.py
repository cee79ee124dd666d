"""``journeygraph discover``'s work, apart from the command line's libraries.

The command (`journeygraph.cli.evidence`) parses its options with typer and
says its messages through rich; `run` is what it then does, given how to say
a line (``say``). The console entry point (`journeygraph._start`) answers
plain invocations (``discover LOG -f json -o FILE --map MAP ...``, output to a
file or a pipe) through `answered` without importing typer, rich or pydantic's
adapters: a fifth of the command's time on a small log. Anything else (an
option it does not know, ``--help``, a terminal, an error, a warning) goes to
the command line, which says what it says; the bytes written are the same
either way (``tests/test_startup.py`` compares them).
"""

from __future__ import annotations

import contextlib
import os
import sys
import warnings
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from journeygraph.escape import count, printable, shown
from journeygraph.exceptions import JourneyGraphError, RenamedRuleWarning
from journeygraph.io.files import check_output, is_special, output_folder

if TYPE_CHECKING:
    from journeygraph.evidence import Evidence, ObservedFlow
    from journeygraph.evidence.reading.limits import LogLimits
    from journeygraph.model import AuditConfig, JourneyMap

__all__ = ["Asked", "Say", "answered", "log_notes", "run"]

Say = Callable[[str, str | None], None]
"""How a line goes to stderr: its text and its style (``"yellow"``, or None)."""

Status = Callable[[str], AbstractContextManager[Any]]
"""A spinner saying what is being done (rich's ``Console.status``), on a terminal."""


@dataclass(frozen=True)
class Asked:
    """What ``discover`` was asked: its options, as the command line documents them."""

    log: Path
    map_file: Path | None = None
    case: str = "case_id"
    touchpoint: str = "touchpoint"
    time: str = "timestamp"
    strict: bool = False
    performer: str | None = None
    stage: str | None = None
    object_type: str | None = None
    names: Path | None = None
    since: str | None = None
    until: str | None = None
    where: list[str] | None = None
    lifecycle: str = "complete"
    classifier: str | None = None
    limit: list[str] | None = None
    rules: list[str] | None = None
    exclude_rules: list[str] | None = None
    output_format: str = "text"
    fail_on: str = "medium"
    output: Path | None = None
    emit_map: Path | None = None
    config: Path | None = None
    force: bool = False
    engine: str = "duckdb"
    spark_master: str | None = None
    table: bool = False


def _nothing() -> None:
    pass


@dataclass(frozen=True)
class Terminal:
    """Where the output goes: colour, width, whether stdout is a terminal, the spinner;
    and ``commit``, called once the result is ready to be written, before it is."""

    color: bool = False
    width: int = 120
    tty: bool = False
    status: Status | None = None
    commit: Callable[[], None] = _nothing


def run(asked: Asked, say: Say, terminal: Terminal) -> bool:
    """Do what ``discover`` was asked, saying its lines through ``say``; whether a
    conformance finding at or above ``--fail-on`` remains (exit 1)."""
    # Each part loads when used: without a map, nothing of the audit is imported.
    from journeygraph.evidence.reading.columns import Columns
    from journeygraph.evidence.reading.limits import LogLimits
    from journeygraph.evidence.reading.names import names_for
    from journeygraph.severity import FailOn

    limits = LogLimits.parse(asked.limit or [])
    inputs = [asked.log, asked.map_file, asked.config, asked.names]
    output = asked.output
    if output is not None:
        check_output(output, inputs=inputs, force=asked.force, folder=_tables(output))
    if asked.emit_map is not None:
        check_output(asked.emit_map, inputs=[*inputs, output], force=asked.force)
    m, extra = _map_and_config(asked.map_file, asked.config)
    mapped = names_for(m, asked.names, limits=limits)
    _check_engine(
        asked.engine,
        table=asked.table,
        mapped=m is not None,
        narrowed=bool(asked.names or asked.since or asked.until or asked.where or asked.strict),
    )
    columns = Columns(asked.case, asked.touchpoint, asked.time, asked.performer, asked.stage)
    flow = _flow(asked, columns, mapped, limits, say, terminal)
    evidence = None
    if m is not None:
        from journeygraph.evidence.conformance.comparison import compare

        evidence = compare(
            m,
            flow,
            config=extra,
            rules=rule_names(asked.rules),
            exclude_rules=rule_names(asked.exclude_rules),
        )
    if output is not None and _tables(output):
        _write_tables(output, flow, evidence, say, terminal.commit)
    else:
        from journeygraph.report import OutputFormat, formatter

        chosen = formatter(
            OutputFormat(asked.output_format), color=terminal.color, width=terminal.width
        )
        text = chosen.evidence(flow, evidence)
        _emit(text, output, say, terminal, styled=asked.output_format == "text")
    if asked.emit_map is not None:
        _emit_map(flow, asked.log, asked.emit_map, say)
    return evidence is not None and FailOn(asked.fail_on).fails(
        finding.severity for finding in evidence.conformance.findings
    )


def rule_names(given: list[str] | None) -> list[str] | None:
    """``--rules a,b --rules c`` as ``[a, b, c]``; ``None`` when not given."""
    if given is None:
        return None
    return [name.strip() for item in given for name in item.split(",") if name.strip()]


def _flow(
    asked: Asked,
    columns: Any,
    mapped: Any,
    limits: LogLimits,
    say: Say,
    terminal: Terminal,
) -> ObservedFlow:
    """The observed flow of the log: read here, or inside Spark (``--table``)."""
    if asked.table:
        from journeygraph.evidence.discovery.spark import discover_table

        return discover_table(_spark(asked.spark_master), str(asked.log), columns, limits=limits)
    from journeygraph.evidence.conformance.observe import observe, segment

    log = asked.log
    options: dict[str, Any] = {
        "strict": asked.strict,
        "lifecycle": asked.lifecycle,
        "names": mapped,
        "segment": segment(asked.since, asked.until, asked.where),
        "object_type": asked.object_type,
        "classifier": asked.classifier,
        "limits": limits,
        "spark": _spark(asked.spark_master) if asked.engine == "spark" else None,
    }
    spinner: Any = terminal.status(f"reading {log}") if terminal.status is not None else None
    with spinner or contextlib.nullcontext():
        flow = observe(
            log, columns, progress=spinner.update if spinner is not None else None, **options
        )
    # Text on the terminal lists the rows left out itself: the warning would
    # repeat it on the same screen.
    warn = not (asked.output is None and asked.output_format == "text" and terminal.tty)
    for text, style in log_notes(log, flow, warn=warn):
        say(text, style)
    return flow


def log_notes(log: Path, flow: ObservedFlow, *, warn: bool) -> list[tuple[str, str | None]]:
    """What reading ``log`` has to say on stderr: its notes and, with ``warn``, the rows
    left out (never dropped silently), each with its style."""
    events = flow.log
    said: list[tuple[str, str | None]] = [
        (f"note: {shown(log)}: {note}", None) for note in events.notes
    ]
    if events.bad_rows and warn:
        example = f", e.g. {events.examples[0]}; --strict stops on them" if events.examples else ""
        said.append(
            (
                f"warning: {count(events.bad_rows, 'row')} of {shown(log)} left out "
                f"({', '.join(f'{n} {why}' for why, n in events.bad.items())}){example}",
                "yellow",
            )
        )
    return said


def _spark(master: str | None) -> Any:
    from journeygraph.evidence.reading.spark_table import spark_session

    return spark_session(master)


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


def _check_engine(engine: str, *, table: bool, mapped: bool, narrowed: bool) -> None:
    """Refuse what --engine spark and --table do not do (yet)."""
    if engine == "spark" and mapped:
        raise JourneyGraphError(
            "--engine spark computes the log's aggregates without a map for now: "
            "leave out --map, or use --engine duckdb"
        )
    if table and (engine != "spark" or narrowed):
        raise JourneyGraphError(
            "--table reads a Spark table: give --engine spark, and leave out --names, "
            "--since, --until, --where and --strict"
        )


def _tables(output: Path) -> bool:
    """Whether ``output`` is a folder of tables: no suffix, and not a device such as /dev/null."""
    return not output.suffix and not is_special(output)


def _write_tables(
    folder: Path,
    flow: ObservedFlow,
    evidence: Evidence | None,
    say: Say,
    commit: Callable[[], None],
) -> None:
    from journeygraph.report.csv_format import evidence_tables

    tables = evidence_tables(flow, evidence)
    # Committed before anything is written: once the tables are there, the command
    # line must not run again (it would find them and refuse).
    commit()
    with output_folder(folder) as building:
        for name, text in tables.items():
            (building / name).write_text(text, encoding="utf-8")
    for name in tables:
        say(f"wrote {folder / name}", None)


def _emit(text: str, output: Path | None, say: Say, terminal: Terminal, *, styled: bool) -> None:
    """As `journeygraph.cli.common.emit`: the result to ``output`` or stdout."""
    from journeygraph.io.files import atomic_write

    if output is None:
        if not styled and terminal.tty:
            text = printable(text)
        terminal.commit()
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        terminal.commit()
        atomic_write(output, text)
        say(f"wrote {shown(output)}", None)


def _emit_map(flow: ObservedFlow, log: Path, emit_map: Path, say: Say) -> None:
    from journeygraph.evidence.discovery.skeleton import skeleton_map
    from journeygraph.io.write import save_map

    save_map(skeleton_map(flow, name=log.name), emit_map)
    say(f"wrote {shown(emit_map)}: a skeleton to assign stages and owners in", None)


_VALUES = {
    "--map": "map_file",
    "-m": "map_file",
    "--case": "case",
    "--touchpoint": "touchpoint",
    "--time": "time",
    "--performer": "performer",
    "--stage": "stage",
    "--object-type": "object_type",
    "--names": "names",
    "--since": "since",
    "--until": "until",
    "--lifecycle": "lifecycle",
    "--classifier": "classifier",
    "--format": "output_format",
    "-f": "output_format",
    "--fail-on": "fail_on",
    "--output": "output",
    "-o": "output",
    "--config": "config",
    "-c": "config",
}
"""The options of one value `answered` takes, by name (the last given counts, as in click)."""

_LISTS = {
    "--where": "where",
    "--limit": "limit",
    "--rules": "rules",
    "--exclude-rules": "exclude_rules",
}
"""The options that may be repeated, each value kept."""

_FLAGS = {"--force": "force", "--strict": "strict"}

_PATHS = {"map_file", "names", "output", "config"}

_RICH_ENVIRONMENT = ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE")
"""Variables that make rich write for a terminal where there is none."""

_ALTERED = frozenset("\t\a\b\v\f\r")
"""Characters rich's text changes (tabs expanded, control codes dropped)."""


def parsed(args: list[str]) -> Asked | None:
    """The options of ``discover ARGS`` when they are plain: each known, given as
    ``--name VALUE`` or ``--name=VALUE``, a choice among the command's; else None
    (``--help``, ``--emit-map``, Spark, a short option run together with its value...).
    """
    from journeygraph.report import Output, formats_for
    from journeygraph.severity import FailOn

    choices = {
        "output_format": {f.value for f in formats_for(Output.AUDIT)},
        "fail_on": {f.value for f in FailOn},
        "lifecycle": {"complete", "all"},
    }
    given: dict[str, Any] = {}
    positional: list[str] = []
    tokens = iter(args)
    for token in tokens:
        name, equals, value = token.partition("=") if token.startswith("--") else (token, "", "")
        if not token.startswith("-"):
            positional.append(token)
        elif name in _FLAGS and not equals:
            given[_FLAGS[name]] = True
        elif name in _VALUES or name in _LISTS:
            value = value if equals else next(tokens, "")
            if not value or value.startswith("-"):
                return None
            key = _VALUES.get(name) or _LISTS[name]
            if key in choices and value not in choices[key]:
                return None
            if name in _LISTS:
                given.setdefault(key, []).append(value)
            else:
                given[key] = Path(value) if key in _PATHS else value
        else:
            return None
    if len(positional) != 1 or not positional[0]:
        return None
    return Asked(Path(positional[0]), **given)


def answered(args: list[str], *, interrupted: Callable[[BaseException], bool]) -> bool:
    """Run ``discover ARGS`` without the command line's libraries when the options are
    plain (`parsed`) and the output goes to files or pipes; whether it did.

    Its lines to stderr are held until the result is written: an error or a warning
    before then (``interrupted`` says which errors are Ctrl-C's, raised again) leaves
    nothing said, and the command line runs instead and says what it says.

    Raises
    ------
    SystemExit
        1 when a conformance finding at or above ``--fail-on`` remains.
    """
    if sys.stdout.isatty() or sys.stderr.isatty() or any(map(os.environ.get, _RICH_ENVIRONMENT)):
        return False
    asked = parsed(args)
    if asked is None:
        return False
    from journeygraph._gc import paused_gc

    held = _Held()
    try:
        with paused_gc(), held.warnings():
            fails = run(asked, held.say, Terminal(commit=held.commit))
    except _DeclinedError:
        return False
    except Exception as err:
        if interrupted(err):
            raise
        if not held.committed:
            return False
        held.failed(err)
    held.rest()
    if fails:
        raise SystemExit(1)
    return True


class _DeclinedError(Exception):
    """The lines held cannot be written as the command line would: let it run instead."""


class _Held:
    """Lines to stderr held until the result is ready (`commit`), then written as rich
    writes them off a terminal: the text, its control characters written out."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.committed = False
        self.unsure = False
        self.caught: list[warnings.WarningMessage] = []
        self.said: set[str] = set()

    def say(self, text: str, style: str | None = None) -> None:
        if _ALTERED & set(text):
            self.unsure = True
        self.lines.append(printable(text) + "\n")
        if self.committed:
            self._flush()

    def commit(self) -> None:
        if self.unsure or any(not _renamed(w) for w in self.caught):
            raise _DeclinedError
        self.committed = True
        self._flush()

    def _flush(self) -> None:
        sys.stderr.write("".join(self.lines))
        sys.stderr.flush()
        self.lines.clear()

    @contextlib.contextmanager
    def warnings(self) -> Iterator[None]:
        """Warnings caught: a renamed rule said once, in one line, as the command says it."""
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", RenamedRuleWarning)
            self.caught = caught
            shown = warnings.showwarning

            def show(message: Any, category: Any, *rest: Any, **kwargs: Any) -> None:
                if isinstance(category, type) and issubclass(category, RenamedRuleWarning):
                    if str(message) not in self.said:
                        self.said.add(str(message))
                        self.say(f"journeygraph: warning: {message}", "yellow")
                    return
                shown(message, category, *rest, **kwargs)

            warnings.showwarning = show
            yield

    def rest(self) -> None:
        """Warnings caught after the result was written, shown as Python shows them."""
        for w in self.caught:
            if not _renamed(w):
                warnings.showwarning(w.message, w.category, w.filename, w.lineno, w.file, w.line)

    def failed(self, err: Exception) -> None:
        """An error once the result is being written: said as the command says it, exit 2."""
        if isinstance(err, OSError):
            where = f"{shown(err.filename)}: " if err.filename else ""
            self.say(f"journeygraph: {where}{err.strerror or err}")
        elif isinstance(err, JourneyGraphError):
            self.say(f"journeygraph: {err}")
        else:
            raise err
        raise SystemExit(2)


def _renamed(caught: warnings.WarningMessage) -> bool:
    return isinstance(caught.category, type) and issubclass(caught.category, RenamedRuleWarning)
