"""Imports flow one way, from the model up to the command line.

Every import inside ``src/journeygraph`` (at the top of a module or inside a
function) must go to the same layer or one below. Imports under
``if TYPE_CHECKING:`` only name types and run nothing, so they are not counted.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from journeygraph.evidence.rules import evidence_registry
from journeygraph.rule_ids import AUDIT_RULE_IDS, LOG_CHECK_IDS
from journeygraph.rules import registry
from tests.conftest import ROOT

PACKAGE = ROOT / "src" / "journeygraph"

# Lowest first. A module belongs to the layer of its longest listed prefix.
LAYERS: list[tuple[str, ...]] = [
    (
        "journeygraph.exceptions",
        "journeygraph.escape",
        "journeygraph.tabular",
        "journeygraph._gc",
        "journeygraph._version",
        "journeygraph._lazy",
        "journeygraph.rule_ids",
        "journeygraph.severity",
    ),
    # The format: the model, its integrity, and the graph it becomes.
    ("journeygraph.model", "journeygraph.validation", "journeygraph.graph"),
    ("journeygraph.io",),
    ("journeygraph.algorithms",),
    ("journeygraph.rules",),
    ("journeygraph.audit",),
    (
        "journeygraph.baseline",
        "journeygraph.diff",
        "journeygraph.whatif",
        "journeygraph.actions",
        "journeygraph.evidence",
    ),
    ("journeygraph.render",),
    ("journeygraph.report", "journeygraph.store", "journeygraph.docs"),
    (
        "journeygraph.cli",
        "journeygraph.__main__",
        "journeygraph._start",
        "journeygraph.testing",
        "journeygraph",  # the package itself: the public API, loading the rest on use
    ),
]


def layer_of(module: str) -> int:
    best, found = -1, -1
    for index, layer in enumerate(LAYERS):
        for prefix in layer:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best:
                best, found = len(prefix), index
    assert found >= 0, f"{module} is in no layer: add it to LAYERS"
    return found


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports(tree: ast.AST) -> Iterator[tuple[int, str]]:
    """(line, module) for each import of journeygraph that runs, wherever it stands."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and _type_checking(node):
            yield from (i for n in node.orelse for i in imports(ast.Module([n], [])))
            continue
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "journeygraph":
                    yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "journeygraph":
                # `from journeygraph import algorithms` imports the subpackage.
                for alias in node.names:
                    sub = PACKAGE / alias.name
                    is_module = sub.is_dir() or sub.with_suffix(".py").exists()
                    yield node.lineno, f"journeygraph.{alias.name}" if is_module else "journeygraph"
            elif node.module.split(".")[0] == "journeygraph":
                yield node.lineno, node.module
        yield from imports(node)


def upward_imports() -> list[str]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        here = module_name(path)
        for line, target in imports(ast.parse(path.read_text(encoding="utf-8"))):
            if layer_of(target) > layer_of(here):
                found.append(f"{path.relative_to(ROOT)}:{line}: {here} imports {target}")
    return found


def test_imports_run_only_downward() -> None:
    assert upward_imports() == []


def test_every_module_is_in_a_layer() -> None:
    for path in PACKAGE.rglob("*.py"):
        layer_of(module_name(path))


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import journeygraph.render\n", ["journeygraph.render"]),
        ("def f():\n    from journeygraph.cli import app\n", ["journeygraph.cli"]),
        ("from journeygraph import algorithms as alg\n", ["journeygraph.algorithms"]),
        ("from journeygraph import load\n", ["journeygraph"]),
        ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import journeygraph.cli\n", []),
    ],
)
def test_the_check_sees_every_kind_of_import(source: str, expected: list[str]) -> None:
    assert [m for _, m in imports(ast.parse(source))] == expected


def test_the_check_fails_on_an_upward_import() -> None:
    # model is layer 1, render layer 7: this line would be reported.
    assert layer_of("journeygraph.model") < layer_of("journeygraph.render")
    tree = ast.parse("def _repr_svg_(self):\n    from journeygraph.render import diagram\n")
    assert [layer_of(m) > layer_of("journeygraph.model") for _, m in imports(tree)] == [True]


def test_one_list_of_rule_ids_is_the_registries() -> None:
    assert tuple(registry.ids()) == AUDIT_RULE_IDS
    assert tuple(evidence_registry.ids()) == LOG_CHECK_IDS
    assert len(AUDIT_RULE_IDS) == 19
    assert len(LOG_CHECK_IDS) == 11


def test_one_vocabulary_in_networkx_and_neo4j() -> None:
    from journeygraph.graph import ABOUT, FINDING, LABELS, PUSH_LOCK, RELATIONSHIP_TYPES
    from journeygraph.store.schema import NODES, RELATIONSHIPS

    # Neo4j adds only the lock that serialises pushes, and the findings of
    # `neo4j audit --write` with what they are about.
    assert set(NODES) == {*LABELS, PUSH_LOCK, FINDING}
    assert set(RELATIONSHIPS) == {*RELATIONSHIP_TYPES, ABOUT}


def test_the_browser_style_names_every_label_and_relationship_type() -> None:
    import re

    from journeygraph.store.schema import NODES, RELATIONSHIPS

    style = (PACKAGE / "cypher" / "journeygraph.grass").read_text(encoding="utf-8")
    assert set(re.findall(r"^node\.(\w+) \{", style, re.M)) == set(NODES)
    assert set(re.findall(r"^relationship\.(\w+) \{", style, re.M)) == set(RELATIONSHIPS)
