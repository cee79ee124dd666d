"""``journeygraph actions MAP -o PLAN.xlsx``, answered without the command line's libraries.

The command (`journeygraph.cli.app`) parses its options with typer and says
its line through rich, and the command tree loads networkx whole: 0.3 s of
CPU on a 10,000-touchpoint map, a tenth of the plan's time (issue 30). The
console entry point (`journeygraph._start`) answers ``actions MAP`` with only
``--output`` (a workbook, ``.xlsx``), ``--owner`` and ``--force``, nothing on
a terminal, through `answered`. Anything else (another option or format,
``--help``, a map with problems, a warning, an error) goes to the command
line, which says what it says; the workbook holds the same either way
(``tests/test_startup.py`` compares them).
"""

from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

# What rich alters and the variables that make it write for a terminal: the audit's.
from journeygraph._audit_command import _ALTERED, to_no_terminal

__all__ = ["answered"]

_OPTIONS = {"--output": "output", "-o": "output", "--owner": "owner"}

_OWNERS = ("function", "department")
"""The choices of ``--owner`` (`journeygraph.cli.common.ActionOwner`)."""


@dataclass
class _Asked:
    map: Path
    output: Path
    owner: str = "function"
    force: bool = False


def _parsed(args: list[str]) -> _Asked | None:
    """The options of ``actions ARGS`` when they are plain (each known, once, as ``--name
    VALUE`` or ``--name=VALUE``) and ask for a workbook; else None."""
    maps: list[Path] = []
    given: dict[str, str] = {}
    rest = iter(args)
    for arg in rest:
        if arg == "--force" and "--force" not in given:
            given[arg] = ""
        elif not arg.startswith("-"):
            maps.append(Path(arg))
        else:
            name, equals, value = arg.partition("=")
            if name not in _OPTIONS or _OPTIONS[name] in given or (equals and name[1] != "-"):
                return None
            if not equals:
                value = next(rest, "")
            if not value or value.startswith("-"):
                return None
            given[_OPTIONS[name]] = value
    # Regular files only: a pipe read here would be empty for the command line.
    if len(maps) != 1 or not maps[0].is_file() or "output" not in given:
        return None
    asked = _Asked(maps[0], Path(given["output"]), force="--force" in given)
    asked.owner = given.get("owner", asked.owner)
    if asked.owner not in _OWNERS:
        return None
    return asked if asked.output.suffix.lower() == ".xlsx" else None


def answered(args: list[str], *, interrupted: Callable[[BaseException], bool]) -> bool:
    """Write the workbook of ``actions ARGS`` without typer and rich when the options are
    plain and nothing goes to a terminal; whether it did.

    Any error, before or while the workbook is written (which leaves the file as
    it was), leaves the command to the command line, which does the work again
    and says what went wrong.
    """
    from journeygraph.io.files import atomic_write

    if not to_no_terminal():
        return False
    asked = _parsed(args)
    if asked is None:
        return False
    try:
        done = _planned(asked)
        if done is None:
            return False
        workbook, line = done
        atomic_write(asked.output, workbook)
    except Exception as err:
        if interrupted(err):
            raise
        return False
    sys.stderr.write(line)
    sys.stderr.flush()
    return True


def _planned(asked: _Asked) -> tuple[bytes, str] | None:
    """The workbook and the line ``actions_command`` says, as it makes them; None when
    the command line must say something this cannot."""
    from journeygraph._gc import kept_to_the_end, paused_gc
    from journeygraph.actions import action_plan
    from journeygraph.audit import audit
    from journeygraph.escape import printable, shown
    from journeygraph.io.any import load_any
    from journeygraph.io.files import check_output
    from journeygraph.report.actions_format import actions_xlsx, plan_title

    owners: Literal["function", "department"] = (
        "department" if asked.owner == "department" else "function"
    )
    with paused_gc(), warnings.catch_warnings(record=True) as caught:
        check_output(asked.output, inputs=[asked.map], force=asked.force)
        _openpyxl_alone()
        m = load_any(asked.map)
        result = audit(m)
        plan = action_plan(m, result, owners=owners)
        workbook = actions_xlsx(plan, title=plan_title(m))
    line = f"wrote {shown(asked.output)}: {len(plan)} actions"
    if caught or _ALTERED & set(line):
        return None
    kept_to_the_end(m, result, plan)  # not freed an object at a time just before the exit
    return workbook, printable(line) + "\n"


def _openpyxl_alone() -> None:
    """Import openpyxl without the libraries it looks for on import and a plan never
    uses: numpy (for its number types), Pillow (for images) and, where openpyxl is not
    to write through it (`journeygraph.extras`), lxml. Their import took 0.15 s of CPU,
    half of openpyxl's; hidden only while openpyxl loads, in this process that ends
    with its command, and only those not loaded already.
    """
    from journeygraph.extras import optional

    if "openpyxl" in sys.modules:
        return
    hidden = ["numpy", "PIL"]
    if os.environ.get("OPENPYXL_LXML", "False").lower() == "false":
        hidden.append("lxml")
    hidden = [name for name in hidden if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # import raises ImportError
    try:
        optional("openpyxl")
    finally:
        for name in hidden:
            if sys.modules.get(name, False) is None:
                del sys.modules[name]
