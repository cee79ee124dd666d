"""The Graph Data Science library, used when a Neo4j server has it installed.

Cypher can find a journey's loops only by mutual reachability, which grows with
the square of a loop's size; GDS's strongly connected components (``gds.scc``)
take time linear in the transitions. The queries in ``cypher/gds/`` project one
journey into GDS's memory under a name made up here, and drop it again before
they return. Nothing else changes: the rows have the columns of the plain
Cypher query they replace, so the findings are worded and counted the same.

Examples
--------
>>> REPLACES["loop"]
'gds/loop'
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any, Final

from journeygraph.store import library
from journeygraph.store.runner import Runner

__all__ = ["REPLACES", "graph_name", "installed", "version"]

REPLACES: Final[Mapping[str, str]] = {"loop": "gds/loop"}
"""Audit rule id → the GDS query that gives its rows in place of ``audit/<id>``."""


def installed(runner: Runner) -> bool:
    """Whether the server has GDS, with the procedures the ``gds/`` queries call."""
    rows = runner.run(library.query("gds/installed").text, {})
    return bool(rows and rows[0]["installed"])


def version(runner: Runner) -> str:
    """GDS's version, e.g. ``"2.13.9"``; only once `installed` says it is there."""
    return str(runner.run(library.query("gds/version").text, {})[0]["version"])


def graph_name() -> str:
    """A fresh name for one in-memory projection, never built from user text."""
    return f"journeygraph-{uuid.uuid4().hex}"


def parameters(given: Mapping[str, Any]) -> dict[str, Any]:
    """``given`` with a fresh projection name: each run, retries included, has its own."""
    return {**given, "graph": graph_name()}
