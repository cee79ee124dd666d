"""The boundary between journeygraph and a graph database: something that runs Cypher.

The writer, the reader and the Cypher audit only ever call `Runner.run`. The
Neo4j driver is adapted to it in `journeygraph.store.driver`; the tests adapt
LadybugDB, an embedded openCypher engine, and a recorder for unit tests.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final, Protocol

DEFAULT_BATCH_SIZE: Final = 1000
"""Rows per ``UNWIND`` statement. It bounds the size of each statement and its
parameters, not the transaction: a journey is pushed in one transaction, which
holds all of its rows whatever the batch size."""

__all__ = ["DEFAULT_BATCH_SIZE", "Runner"]


class Runner(Protocol):
    """Runs one Cypher statement with its parameters and returns its rows as dicts."""

    def run(self, query: str, parameters: Mapping[str, Any]) -> list[dict[str, Any]]:
        """Rows of ``query``; values travel only as ``parameters``."""
        ...
