"""The evidence package stays readable: modules of one job, functions seen whole."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

EVIDENCE = ROOT / "src" / "journeygraph" / "evidence"
MOST_LINES = 600
MOST_FUNCTION_LINES = 80
ROOMS = {"reading", "statistics", "discovery", "conformance", "rules"}


def function_lengths(source: str) -> list[tuple[str, int]]:
    """Each function's name and length: ``def`` to its end, its docstring left out."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            assert node.end_lineno is not None
            length = node.end_lineno - node.lineno + 1
            first = node.body[0]
            if (
                isinstance(first, ast.Expr)
                and isinstance(first.value, ast.Constant)
                and isinstance(first.value.value, str)
                and first.end_lineno is not None
            ):
                length -= first.end_lineno - first.lineno + 1
            found.append((node.name, length))
    return found


def test_the_length_of_a_function_leaves_its_docstring_out() -> None:
    source = (
        'def f():\n    """One.\n\n    Two.\n    """\n    a = 1\n    return a\n\n\n'
        "async def g():\n    pass\n"
    )
    assert function_lengths(source) == [("f", 3), ("g", 2)]


@pytest.mark.parametrize(
    "module", sorted(EVIDENCE.rglob("*.py")), ids=lambda p: str(p.relative_to(EVIDENCE))
)
def test_no_module_is_over_600_lines_and_no_function_over_80(module: Path) -> None:
    source = module.read_text(encoding="utf-8")
    assert len(source.splitlines()) <= MOST_LINES
    long = [(name, n) for name, n in function_lengths(source) if n > MOST_FUNCTION_LINES]
    assert long == []


def test_every_module_stands_in_a_room() -> None:
    """Besides the package's own `__init__`, each module is in one of the rooms."""
    loose = [p.name for p in EVIDENCE.glob("*.py") if p.name != "__init__.py"]
    assert loose == []
    assert {p.name for p in EVIDENCE.iterdir() if p.is_dir() and p.name != "__pycache__"} == ROOMS
