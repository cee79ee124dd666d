"""The boundary between journeygraph and a graph database: something that runs Cypher.

The writer, the reader and the Cypher audit only ever call `Runner.run`. The
Neo4j driver is adapted to it in `journeygraph.store.driver`; the tests adapt
LadybugDB, an embedded openCypher engine, and a recorder for unit tests.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

__all__ = ["Runner"]


class Runner(Protocol):
    """Runs one Cypher statement with its parameters and returns its rows as dicts."""

    def run(self, query: str, parameters: Mapping[str, Any]) -> list[dict[str, Any]]:
        """Rows of ``query``; values travel only as ``parameters``."""
        ...
