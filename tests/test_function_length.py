"""No function in ``src/journeygraph`` is longer than 80 lines.

A function is measured from its ``def`` line to its last line, its docstring
excluded, so that it can be read whole on one screen. Two kinds are exempt, each
for a reason written in ``_measured_lines``:

- a Typer command: its parameter list is a declarative table (one
  ``Annotated[...]`` option a few lines each), so only its body is measured;
- a function whose body is one declarative literal (a table returned, such as
  Bloom's perspective), which reads as data, not as steps.
"""

from __future__ import annotations

import ast
import textwrap
from collections.abc import Iterator
from pathlib import Path

from tests.conftest import ROOT

PACKAGE = ROOT / "src" / "journeygraph"
LIMIT = 80
EXCLUDED: tuple[Path, ...] = ()
"""Folders not checked (none: a folder listed here must say why)."""

Function = ast.FunctionDef | ast.AsyncFunctionDef


def _is_typer_command(function: Function) -> bool:
    """Whether ``function`` is registered as a command by an ``@<app>.command(...)`` decorator."""
    for decorator in function.decorator_list:
        call = decorator.func if isinstance(decorator, ast.Call) else decorator
        if isinstance(call, ast.Attribute) and call.attr in {"command", "callback"}:
            return True
    return False


def _body_without_docstring(function: Function) -> list[ast.stmt]:
    body = function.body
    first = body[0]
    if (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
    ):
        return body[1:]
    return body


def _is_one_literal(body: list[ast.stmt]) -> bool:
    """Whether the body is one ``return`` (or assignment) of a literal table."""
    if len(body) != 1:
        return False
    statement = body[0]
    value = statement.value if isinstance(statement, ast.Return | ast.Assign) else None
    return isinstance(value, ast.Dict | ast.List | ast.Tuple | ast.Set)


def _docstring_lines(function: Function) -> int:
    first = function.body[0]
    if _body_without_docstring(function) is function.body:
        return 0
    assert first.end_lineno is not None
    return first.end_lineno - first.lineno + 1


def _measured_lines(function: Function) -> int:
    """The lines of ``function`` that count against the limit (0 when it is exempt)."""
    body = _body_without_docstring(function)
    assert function.end_lineno is not None
    if not body:
        return 0
    # (b) One declarative literal: a table, read as data.
    if _is_one_literal(body):
        return 0
    # (a) A Typer command's signature is its option table: count from the body's
    # first statement.
    if _is_typer_command(function):
        return function.end_lineno - body[0].lineno + 1
    return function.end_lineno - function.lineno + 1 - _docstring_lines(function)


def long_functions(source: str, name: str) -> Iterator[str]:
    """``name:line function (N lines)`` for each function in ``source`` over the limit."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            lines = _measured_lines(node)
            if lines > LIMIT:
                yield f"{name}:{node.lineno} {node.name} ({lines} lines)"


def _modules() -> Iterator[Path]:
    for path in sorted(PACKAGE.rglob("*.py")):
        if not any(path.is_relative_to(folder) for folder in EXCLUDED):
            yield path


def test_no_function_is_over_the_limit() -> None:
    found = [
        problem
        for path in _modules()
        for problem in long_functions(path.read_text("utf-8"), str(path.relative_to(ROOT)))
    ]
    assert found == [], "functions over 80 lines: name their steps\n" + "\n".join(found)


def _planted(body_lines: int, *, docstring: bool = False, command: bool = False) -> str:
    decorator = "@app.command()\n" if command else ""
    parameters = "\n    a: int,\n    b: int,\n" if command else ""
    signature = f"def planted({parameters}) -> int:\n"
    doc = '    """One.\n\n    Two.\n    """\n' if docstring else ""
    body = "".join(f"    x{i} = {i}\n" for i in range(body_lines - 1)) + "    return 0\n"
    return decorator + signature + doc + body


def test_a_planted_long_function_is_caught() -> None:
    # def line + 80 statements = 81 lines
    assert list(long_functions(_planted(80), "m.py")) == ["m.py:1 planted (81 lines)"]
    assert list(long_functions(_planted(79), "m.py")) == []
    # The docstring does not count.
    assert list(long_functions(_planted(79, docstring=True), "m.py")) == []
    assert list(long_functions(_planted(80, docstring=True), "m.py")) == [
        "m.py:1 planted (81 lines)"
    ]


def test_a_typer_command_is_measured_from_its_body() -> None:
    assert list(long_functions(_planted(80, command=True), "m.py")) == []
    assert list(long_functions(_planted(81, command=True), "m.py")) == ["m.py:2 planted (81 lines)"]


def test_only_a_function_that_is_one_literal_is_exempt() -> None:
    table = "def table() -> dict[str, int]:\n    return {\n" + "".join(
        f'        "k{i}": {i},\n' for i in range(100)
    )
    exempt = table + "    }\n"
    assert list(long_functions(exempt, "m.py")) == []
    not_exempt = (
        textwrap.dedent(
            """\
        def table() -> dict[str, int]:
            x = 1
        """
        )
        + "    return {\n"
        + "".join(f'        "k{i}": {i},\n' for i in range(100))
        + "    }\n"
    )
    assert list(long_functions(not_exempt, "m.py")) == ["m.py:1 table (104 lines)"]
