"""What the switch of a staged push paid per node before the journey's revision
pointer (which made the switch small): its relabelling alone, timed.

Creates NODES scratch touchpoints labelled as journeygraph's and NODES staged
ones of the same keys, then, in one transaction, retires the first
(``REMOVE n:JourneyGraph:Touchpoint SET n:JourneyGraphRetired``) and promotes the
second, as ``sync/retire-journey`` and ``sync/promote-staged`` did, and commits:
each statement and the commit timed. Once per mode given: ``fulltext`` (the
index ``journeygraph_search`` as the schema makes it), ``fulltext-async`` (the
same, eventually consistent) or ``no-fulltext``.

Usage: ``python benchmarks/bench_neo4j_relabel.py [NODES] [MODE...]`` (default
10,000 nodes, each mode twice). Starts the test server, or uses the one
``NEO4J_TEST_URI`` names (the tests' scratch server). Its scratch nodes are
labelled ``RelabelTest`` and removed after; the index is made again as the
schema makes it.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from contextlib import nullcontext
from pathlib import Path

import neo4j

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent)]

from tests import neo4j_server  # noqa: E402

_SEARCH = (
    "CREATE FULLTEXT INDEX journeygraph_search IF NOT EXISTS FOR (n:JourneyGraph) "
    "ON EACH [n.name, n.id, n.description]"
)
_MODES = {
    "fulltext": [_SEARCH],
    "fulltext-async": [
        _SEARCH + " OPTIONS {indexConfig: {`fulltext.eventually_consistent`: true}}"
    ],
    "no-fulltext": [],
}
_MAKE = (
    "UNWIND range(0, $n - 1) AS i "
    "CREATE (:RelabelTest:JourneyGraph:Touchpoint {key: ['Touchpoint', 'rl', toString(i)], "
    "journey: 'rl', id: 't' + i, name: 'Touchpoint ' + i, description: 'Scratch ' + i}) "
    "CREATE (:RelabelTest:JourneyGraphStaged {key: ['Touchpoint', 'rl', toString(i)], "
    "staged: 'tok', staged_for: 'rl', journey: 'rl', id: 't' + i, name: 'Touchpoint ' + i, "
    "description: 'Scratch ' + i})"
)
_RETIRE = (
    "MATCH (n:JourneyGraph {journey: 'rl'}) WHERE n:Touchpoint "
    "REMOVE n:JourneyGraph:Touchpoint SET n:JourneyGraphRetired"
)
_PROMOTE = (
    "MATCH (n:JourneyGraphStaged) WHERE n.staged = 'tok' "
    "SET n:Touchpoint:JourneyGraph REMOVE n:JourneyGraphStaged, n.staged, n.staged_for"
)


def _switch(driver: neo4j.Driver) -> dict[str, float]:
    seconds: dict[str, float] = {}
    with driver.session() as session:
        tx = session.begin_transaction()
        for name, text in (("retire", _RETIRE), ("promote", _PROMOTE)):
            started = time.perf_counter()
            tx.run(text).consume()
            seconds[name] = time.perf_counter() - started
        started = time.perf_counter()
        tx.commit()
        seconds["commit"] = time.perf_counter() - started
    return seconds


def main(nodes: int, modes: list[str]) -> None:
    own = neo4j_server.own_server()
    with tempfile.TemporaryDirectory() as folder:
        serving = nullcontext(own) if own else neo4j_server.start(Path(folder) / "data")
        with serving as settings:
            auth = (settings.user, settings.password)
            with neo4j.GraphDatabase.driver(settings.uri, auth=auth) as driver:
                try:
                    for mode in modes:
                        _one(driver, nodes, mode)
                finally:
                    driver.execute_query("MATCH (n:RelabelTest) DETACH DELETE n")
                    driver.execute_query("DROP INDEX journeygraph_search IF EXISTS")
                    driver.execute_query(_SEARCH)


def _one(driver: neo4j.Driver, nodes: int, mode: str) -> None:
    driver.execute_query("MATCH (n:RelabelTest) DETACH DELETE n")
    driver.execute_query("DROP INDEX journeygraph_search IF EXISTS")
    for statement in _MODES[mode]:
        driver.execute_query(statement)
    driver.execute_query(_MAKE, {"n": nodes})
    driver.execute_query("CALL db.awaitIndexes(300)")
    seconds = _switch(driver)
    whole = sum(seconds.values())
    parts = ", ".join(f"{name} {s:.2f}" for name, s in seconds.items())
    print(
        f"{mode}: {nodes:,} retired and {nodes:,} promoted in {whole:.2f} s ({parts}); "
        f"{whole / nodes * 1000:.2f} ms a pair; load average "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}",
        flush=True,
    )


if __name__ == "__main__":
    numbers = [int(a) for a in sys.argv[1:] if a.isdigit()]
    chosen = [a for a in sys.argv[1:] if not a.isdigit()] or [*_MODES, *_MODES]
    main(numbers[0] if numbers else 10_000, chosen)
