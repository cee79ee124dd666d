"""Imports flow one way, from the model up to the command line.

Every import inside ``src/journeygraph`` (at the top of a module or inside a
function, and every module named as a string in a lazy-import map) must go to
the same layer or one below, and the imports inside one layer form no cycle.
Relative imports are not used (ruff's TID252 says so too). Imports under
``if TYPE_CHECKING:`` only name types and run nothing, so they are not counted.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path
from typing import TypeGuard

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
        "journeygraph.extras",
        "journeygraph.escape",
        "journeygraph.tabular",
        "journeygraph._gc",
        "journeygraph._plugins",
        "journeygraph._networkx",
        "journeygraph._version",
        "journeygraph._lazy",
        "journeygraph.rule_ids",
        "journeygraph.severity",
        "journeygraph.roles",
        "journeygraph.figures",
    ),
    # The format: the integrity checks and the graph need only the model's types, so
    # the model (which runs both) stands above them.
    ("journeygraph.validation",),
    ("journeygraph.graph",),
    ("journeygraph.model", "journeygraph.theme"),
    ("journeygraph.io",),
    ("journeygraph.algorithms",),
    ("journeygraph.rules",),
    ("journeygraph.audit",),
    # The rooms of the evidence package, reading lowest: discovery draws on the
    # statistics, and only the comparison with the map sees every room.
    ("journeygraph.evidence.reading",),
    ("journeygraph.evidence.statistics",),
    ("journeygraph.evidence.discovery",),
    ("journeygraph.evidence.conformance", "journeygraph.evidence.rules", "journeygraph.evidence"),
    (
        "journeygraph.baseline",
        "journeygraph.diff",
        "journeygraph.whatif",
        "journeygraph.scenario",
        "journeygraph.actions",
    ),
    ("journeygraph.render",),
    ("journeygraph.report", "journeygraph.store", "journeygraph.docs"),
    ("journeygraph.serve",),
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
    """(line, module) for each import of journeygraph that runs, wherever it stands,
    and each module a lazy-import map names as a string."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and _type_checking(node):
            yield from (i for n in node.orelse for i in imports(ast.Module([n], [])))
            continue
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "journeygraph":
                    yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            yield from _import_from(node)
        elif isinstance(node, ast.Dict):
            # A lazy-import map: {"name": "journeygraph.module"}, loaded on first use.
            for value in node.values:
                if isinstance(value, ast.Constant) and _is_module(value.value):
                    yield value.lineno, value.value
        yield from imports(node)


RELATIVE = "(a relative import)"


def _import_from(node: ast.ImportFrom) -> Iterator[tuple[int, str]]:
    if node.level > 0:
        yield node.lineno, RELATIVE
    elif node.module == "journeygraph":
        # `from journeygraph import algorithms` imports the subpackage.
        for alias in node.names:
            sub = PACKAGE / alias.name
            is_module = sub.is_dir() or sub.with_suffix(".py").exists()
            yield node.lineno, f"journeygraph.{alias.name}" if is_module else "journeygraph"
    elif node.module and node.module.split(".")[0] == "journeygraph":
        yield node.lineno, node.module


def _is_module(text: object) -> TypeGuard[str]:
    if not isinstance(text, str) or not text.startswith("journeygraph."):
        return False
    path = PACKAGE.joinpath(*text.split(".")[1:])
    return path.is_dir() or path.with_suffix(".py").is_file()


def import_graph() -> dict[str, set[str]]:
    """Each module and the journeygraph modules it imports (at run time)."""
    graph: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        here = module_name(path)
        graph[here] = {t for _, t in imports(ast.parse(path.read_text(encoding="utf-8")))}
    return graph


def cycles_within_layers(graph: dict[str, set[str]]) -> list[list[str]]:
    """The import cycles whose modules all stand in one layer."""
    import networkx as nx

    G = nx.DiGraph()
    for here, targets in graph.items():
        for target in targets:
            # A package's own __init__ importing its modules is how it loads them.
            same_layer = target not in (RELATIVE, here) and layer_of(target) == layer_of(here)
            nested = here.startswith(target + ".") or target.startswith(here + ".")
            if same_layer and not nested:
                G.add_edge(here, target)
    return [sorted(c) for c in nx.strongly_connected_components(G) if len(c) > 1]


def upward_imports() -> list[str]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        here = module_name(path)
        for line, target in imports(ast.parse(path.read_text(encoding="utf-8"))):
            if target == RELATIVE or layer_of(target) > layer_of(here):
                found.append(f"{path.relative_to(ROOT)}:{line}: {here} imports {target}")
    return found


def test_imports_run_only_downward() -> None:
    assert upward_imports() == []


def test_no_cycle_within_a_layer() -> None:
    assert cycles_within_layers(import_graph()) == []


def test_the_check_fails_on_a_planted_relative_import() -> None:
    tree = ast.parse("from .model import JourneyMap\n")
    assert [m for _, m in imports(tree)] == [RELATIVE]


def test_the_check_fails_on_a_planted_string_import_of_a_higher_layer() -> None:
    # A lazy map in the model naming the command line would load it on first use.
    tree = ast.parse('_PUBLIC = {"app": "journeygraph.cli"}\n')
    found = [m for _, m in imports(tree)]
    assert found == ["journeygraph.cli"]
    assert layer_of(found[0]) > layer_of("journeygraph.model")


def test_the_check_fails_on_a_planted_cycle_within_a_layer() -> None:
    graph = import_graph()
    assert cycles_within_layers(graph) == []
    # The model's old cycle: model imports validation, validation imports model.
    planted = {**graph, "journeygraph.rules.loop": {"journeygraph.rules.dead_end"}}
    planted["journeygraph.rules.dead_end"] = {"journeygraph.rules.loop"}
    assert cycles_within_layers(planted) == [
        ["journeygraph.rules.dead_end", "journeygraph.rules.loop"]
    ]


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


def test_the_evidence_rooms_import_one_way() -> None:
    rooms = ["reading", "statistics", "discovery", "conformance"]
    layers = [layer_of(f"journeygraph.evidence.{room}") for room in rooms]
    assert layers == sorted(set(layers))
    # Reading that reached for the comparison (a planted import) would be reported.
    tree = ast.parse("from journeygraph.evidence.conformance.comparison import compare\n")
    [(_, target)] = imports(tree)
    assert layer_of(target) > layer_of("journeygraph.evidence.reading.log")
    # The log checks stand with the comparison that runs them, above discovery.
    assert layer_of("journeygraph.evidence.rules.rework") == layers[-1]
    assert layer_of("journeygraph.evidence.discovery.flow") < layers[-1]


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
    from journeygraph.graph import (
        ABOUT,
        FINDING,
        HAS_FINDING,
        LABELS,
        PUSH_LOCK,
        RELATIONSHIP_TYPES,
    )
    from journeygraph.store.schema import NODES, RELATIONSHIPS

    # Neo4j adds only the lock that serialises pushes, and the findings of
    # `neo4j audit --write`, linked from their journey, with what they are about.
    assert set(NODES) == {*LABELS, PUSH_LOCK, FINDING}
    assert set(RELATIONSHIPS) == {*RELATIONSHIP_TYPES, ABOUT, HAS_FINDING}


def test_the_browser_style_names_every_label_and_relationship_type() -> None:
    import re

    from journeygraph.store.schema import NODES, RELATIONSHIPS

    style = (PACKAGE / "cypher" / "journeygraph.grass").read_text(encoding="utf-8")
    assert set(re.findall(r"^node\.(\w+) \{", style, re.M)) == set(NODES)
    assert set(re.findall(r"^relationship\.(\w+) \{", style, re.M)) == set(RELATIONSHIPS)
