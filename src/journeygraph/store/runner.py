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

__all__ = ["DEFAULT_BATCH_SIZE", "Runner", "unpacked"]


class Runner(Protocol):
    """Runs one Cypher statement with its parameters and returns its rows as dicts."""

    def run(self, query: str, parameters: Mapping[str, Any]) -> list[dict[str, Any]]:
        """Rows of ``query``; values travel only as ``parameters``."""
        ...


def unpacked(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows of a table, whether given one dict a row or packed by columns in one row.

    A query with many rows may return them packed: one row whose ``packed``
    column is true and whose other columns each hold their values, one per row,
    each in a list of one (``collect([t.id]) AS id``: ``collect`` drops nulls,
    not a list holding one). The Neo4j driver's Python handles each record as a
    message of its own, and decodes one record of lists in half the time of as
    many records as rows (`journeygraph.store.reader.read_rows`); a list per row
    of its values would be cheaper still, but an embedded engine's lists hold
    values of one type only.

    Examples
    --------
    >>> unpacked([{"packed": True, "id": [["a"], ["b"]], "name": [["Ad"], [None]]}])
    [{'id': 'a', 'name': 'Ad'}, {'id': 'b', 'name': None}]
    >>> unpacked([{"id": "a"}])
    [{'id': 'a'}]
    """
    if len(rows) != 1 or rows[0].get("packed") is not True:
        return rows
    names = [name for name in rows[0] if name != "packed"]
    columns = [[value for (value,) in rows[0][name]] for name in names]
    return [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]
