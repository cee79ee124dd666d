"""A shipped query that runs out of Neo4j's transaction memory is named, with what to do."""

from __future__ import annotations

from typing import Any

import pytest
from neo4j.exceptions import Neo4jError

from journeygraph.exceptions import StoreError
from journeygraph.store import library
from journeygraph.store.driver import Settings, _Transaction

SETTINGS = Settings(uri="bolt://db.example:7687", user="neo4j", password="secret", database=None)


class _Hungry:
    """A transaction whose every query runs out of memory, as Neo4j says it."""

    def run(self, query: str, parameters: dict[str, Any]) -> Any:
        raise Neo4jError._hydrate_neo4j(
            code="Neo.TransientError.General.MemoryPoolOutOfMemoryError",
            message="The allocation of an extra 2.0 MiB would use more than the limit 1.0 GiB.",
        )


@pytest.mark.parametrize("name", ["audit/handoff-gap", "audit/reach-step", "sync/read-transitions"])
def test_the_query_that_ran_out_of_memory_is_named_with_what_to_do(name: str) -> None:
    tx = _Transaction(_Hungry(), SETTINGS)  # type: ignore[arg-type]
    with pytest.raises(StoreError) as raised:
        tx.run(library.query(name).text, {"journey": "j"})
    message = str(raised.value)
    assert f"ran out of transaction memory running {name}:" in message
    assert "dbms.memory.transaction.total.max" in message
    # By default `neo4j audit` finds loops on the transitions it pulls; GDS is no help.
    assert "Graph Data Science" not in message
    assert "secret" not in message
    assert len(message.splitlines()) == 1
