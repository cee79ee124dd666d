"""A real Neo4j Community server for the store tests, started on 127.0.0.1 and stopped after.

``scripts/setup`` builds ``tests/neo4j-server`` with Maven (Neo4j 5.26 from Maven
Central); :func:`start` runs it on a free loopback port. Its standard input is
its lifeline: when the test run ends, or dies, the server stops.

``NEO4J_TEST_URI`` (with ``NEO4J_TEST_USERNAME`` and ``NEO4J_TEST_PASSWORD``)
names a server of your own instead. ``NEO4J_URI``, which docs/neo4j.md has users
export for daily use, is never used by the tests.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from journeygraph.store.driver import Settings

FOLDER = Path(__file__).resolve().parent / "neo4j-server"
CLASSES = FOLDER / "target" / "classes"
CLASSPATH = FOLDER / "classpath.txt"
# The Graph Data Science library's procedure jars (GDS 2.13, Maven Central).
PLUGINS = FOLDER / "target" / "plugins"
# A server starts in 10 to 30 s; on a machine shared with other work, up to several minutes.
STARTUP_SECONDS = 360


class NoServerError(Exception):
    """No Neo4j server can be had: the reason says what to do."""


def built() -> bool:
    """Whether ``scripts/setup`` has built the test server."""
    return CLASSES.is_dir() and CLASSPATH.is_file() and PLUGINS.is_dir()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def start(
    folder: Path, *, sandboxed: bool = False, transaction_memory: int | None = None
) -> Iterator[Settings]:
    """Run the test server with its files in ``folder``; the settings to reach it.

    ``sandboxed`` leaves GDS's procedures in Neo4j's sandbox, as on a server whose
    administrator has not allowed them. ``transaction_memory`` (bytes) limits the
    memory of each transaction and of all together, as a small server's
    ``db.memory.transaction.max`` and ``dbms.memory.transaction.total.max`` do.
    """
    if not built():
        raise NoServerError(
            "the Neo4j test server is not built: run `make setup` (needs Java 17 and Maven), "
            "or set NEO4J_TEST_URI to a scratch server"
        )
    port = _free_port()
    command = [
        "java",
        "-Xmx1g",
        "-cp",
        f"{CLASSES}{os.pathsep}{CLASSPATH.read_text(encoding='utf-8').strip()}",
        "journeygraph.testserver.Launcher",
        str(port),
        str(folder),
        str(PLUGINS),
        "" if sandboxed else "gds.*",
        str(transaction_memory or ""),
    ]
    log = folder.parent / "neo4j-server.log"
    with log.open("wb") as output:
        process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=output, stderr=output)
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while "ready " not in log.read_text(encoding="utf-8", errors="replace"):
            if process.poll() is not None or time.monotonic() > deadline:
                raise NoServerError(f"the Neo4j test server did not start; see {log}")
            time.sleep(0.2)
        yield Settings(uri=f"bolt://127.0.0.1:{port}", user="neo4j", password="", database=None)
    finally:
        if process.stdin is not None:
            process.stdin.close()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def own_server() -> Settings | None:
    """The server ``NEO4J_TEST_URI`` names, if it is set."""
    uri = os.environ.get("NEO4J_TEST_URI")
    if not uri:
        return None
    return Settings.resolve(
        uri=uri,
        user=os.environ.get("NEO4J_TEST_USERNAME") or "neo4j",
        password=os.environ.get("NEO4J_TEST_PASSWORD") or "",
        database=os.environ.get("NEO4J_TEST_DATABASE") or None,
        environ={},
    )
