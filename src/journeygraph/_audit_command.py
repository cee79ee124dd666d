"""``journeygraph audit`` of plain options, answered without the command line's libraries.

The command (`journeygraph.cli.app`) parses its options with typer and says its
lines through rich: importing them took 0.2 to 0.3 s of CPU on a busy machine
(about a twentieth of a 10,000-touchpoint audit, most of a small map's). The
console entry point (`journeygraph._start`) answers ``audit MAP...`` with only
``--format``, ``--output``, ``--fail-on`` and ``--force``, output to files or
pipes, through `answered`. Anything else (another option, ``--help``,
a terminal, a map with problems, a warning, an error) goes to the command line,
which says what it says; the bytes written are the same either way
(``tests/test_startup.py`` compares them).
"""

from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

__all__ = ["answered"]

_RICH_ENVIRONMENT = ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE")
"""Variables that make rich write for a terminal where there is none."""


def to_no_terminal() -> bool:
    """Whether nothing goes to a terminal, nor is rich told to write as if it did:
    then a command's plain output is what typer and rich would print."""
    return not (
        sys.stdout.isatty() or sys.stderr.isatty() or any(map(os.environ.get, _RICH_ENVIRONMENT))
    )


_ALTERED = frozenset("\t\a\b\v\f\r")
"""Characters rich's text changes (tabs expanded, control codes dropped)."""

_OPTIONS = {"--format": "format", "-f": "format", "--output": "output", "-o": "output"}
_OPTIONS["--fail-on"] = "fail_on"


@dataclass
class _Asked:
    maps: list[Path]
    format: str = "text"
    output: Path | None = None
    fail_on: str = "medium"
    force: bool = False


def _parsed(args: list[str]) -> _Asked | None:
    """The options of ``audit ARGS`` when they are plain (each known, as ``--name VALUE``
    or ``--name=VALUE``, values among the command's choices); else None."""
    from journeygraph.report.base import Output, formats_for
    from journeygraph.severity import FailOn

    asked = _Asked([])
    given: dict[str, str] = {}
    rest = iter(args)
    for arg in rest:
        if arg == "--force":
            asked.force = True
        elif not arg.startswith("-"):
            asked.maps.append(Path(arg))
        else:
            name, equals, value = arg.partition("=")
            if name not in _OPTIONS or name in given or (equals and not name.startswith("--")):
                return None
            if not equals:
                value = next(rest, "")
            given[name] = value
            if not value or value.startswith("-"):
                return None
            setattr(asked, _OPTIONS[name], value)
    formats = {choice.value for choice in formats_for(Output.AUDIT)}
    if len({_OPTIONS[name] for name in given}) != len(given):  # -f and --format both
        return None
    if asked.format not in formats or asked.fail_on not in {f.value for f in FailOn}:
        return None
    if isinstance(asked.output, str):
        asked.output = Path(asked.output)
    # Regular files and folders only: a pipe read here would be empty for the command line.
    if not asked.maps or not all(p.is_file() or p.is_dir() for p in asked.maps):
        return None
    return asked


def answered(args: list[str], *, interrupted: Callable[[BaseException], bool]) -> bool:
    """Run ``audit ARGS`` without typer and rich when the options are plain and nothing
    goes to a terminal; whether it did.

    Raises
    ------
    SystemExit
        1 when a finding at or above ``--fail-on`` remains; 2 when the output
        cannot be written.
    """
    if not to_no_terminal():
        return False
    asked = _parsed(args)
    if asked is None:
        return False
    try:
        done = _audited(asked)
    except Exception as err:
        if interrupted(err):
            raise
        return False
    if done is None:
        return False
    text, lines, fails = done
    _write(text, asked.output, lines)
    if fails:
        raise SystemExit(1)
    return True


def _audited(asked: _Asked) -> tuple[str, list[str], bool] | None:
    """The output, the lines for stderr and whether it fails, as ``audit_command`` makes
    them; None when the command line must say something this cannot."""
    from journeygraph._gc import kept_to_the_end, paused_gc
    from journeygraph.audit import audit_all
    from journeygraph.escape import printable, shown
    from journeygraph.io.any import load_any, map_files
    from journeygraph.io.files import check_output
    from journeygraph.report.audit_output import audit_output
    from journeygraph.rules import registry
    from journeygraph.severity import FailOn

    with paused_gc(), warnings.catch_warnings(record=True) as caught:
        chosen = registry.select(None, None)
        files = list(map_files(asked.maps))
        if asked.output is not None:
            check_output(asked.output, inputs=[*asked.maps, *files], force=asked.force)
        journeys = [load_any(file) for file in files]
        results = audit_all(journeys, rules=chosen)  # one map: let go before the rules run
        out = audit_output(journeys, results, asked.format, color=False, width=120)
    if caught or out.notes:
        return None
    lines = [f"wrote {shown(asked.output)}"] if asked.output is not None else []
    lines += out.warnings
    if asked.format != "text" or asked.output is not None:
        lines.append(out.summary)
    if any(_ALTERED & set(line) for line in lines):
        return None
    fails = FailOn(asked.fail_on).fails(f.severity for r in out.results for f in r.findings)
    kept_to_the_end(results, out)  # not freed a finding at a time just before the exit
    return out.text, [printable(line) + "\n" for line in lines], fails


def _write(text: str, output: Path | None, lines: list[str]) -> None:
    """The output to its file (atomically) or stdout, then the lines to stderr."""
    from journeygraph.escape import printable, shown
    from journeygraph.io.files import atomic_write

    try:
        if output is None:
            sys.stdout.write(text)
            sys.stdout.flush()
        else:
            atomic_write(output, text)
    except OSError as err:
        where = f"{shown(err.filename)}: " if err.filename else ""
        sys.stderr.write(printable(f"journeygraph: {where}{err.strerror or err}") + "\n")
        raise SystemExit(2) from None
    sys.stderr.write("".join(lines))
    sys.stderr.flush()
