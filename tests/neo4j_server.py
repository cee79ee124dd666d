"""A real Neo4j Community server for the store tests, started on 127.0.0.1 and stopped after.

``scripts/setup`` builds ``tests/neo4j-server`` with Maven twice, from Maven
Central: Neo4j 5.26 LTS (Java 17) and, with the Maven profile ``newest``, the
newest Community release (Java 21 or later). ``NEO4J_TEST_SERVER`` picks the one
:func:`start` runs on a free loopback port: ``5.26`` (the default) or ``newest``.
Its standard input is its lifeline: when the test run ends, or dies, the server stops.

``NEO4J_TEST_URI`` (with ``NEO4J_TEST_USERNAME`` and ``NEO4J_TEST_PASSWORD``)
names a server of your own instead. ``NEO4J_URI``, which docs/neo4j.md has users
export for daily use, is never used by the tests.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from journeygraph.store.driver import Settings

FOLDER = Path(__file__).resolve().parent / "neo4j-server"
# A server starts in 10 to 30 s; on a machine shared with other work, up to several minutes.
STARTUP_SECONDS = 360


@dataclass(frozen=True)
class Build:
    """One build of tests/neo4j-server: where Maven put it and how to run it."""

    name: str
    target: Path
    classpath: Path
    # Neo4j 2025.06 and later run queries without a CYPHER prefix as Cypher 5
    # unless told otherwise; journeygraph's users on them get Cypher 25.
    cypher: str

    @property
    def classes(self) -> Path:
        return self.target / "classes"

    @property
    def plugins(self) -> Path:
        """The Graph Data Science library's procedure jars (Maven Central)."""
        return self.target / "plugins"

    @property
    def java_file(self) -> Path:
        """Where ``scripts/setup`` wrote the path of the Java that built it."""
        return self.target / "java.txt"

    def java(self) -> str:
        """The Java executable to run it with: the one that built it, else ``java``."""
        if self.java_file.is_file():
            return self.java_file.read_text(encoding="utf-8").strip()
        return "java"

    def neo4j_version(self) -> str:
        """The Neo4j version Maven built it with (the pom's, or its profile's)."""
        return self._version("org/neo4j/neo4j-kernel")

    def gds_version(self) -> str:
        """The Graph Data Science version Maven built it with."""
        return self._version("org/neo4j/gds/proc")

    def _version(self, artifact: str) -> str:
        classpath = self.classpath.read_text(encoding="utf-8")
        found = re.search(rf"/{artifact}/([0-9][0-9.]*[0-9])/", classpath)
        if found is None:
            raise NoServerError(f"no {artifact} on the classpath of {self.classpath}")
        return found.group(1)


BUILDS = {
    "5.26": Build("5.26", FOLDER / "target", FOLDER / "classpath.txt", cypher=""),
    "newest": Build(
        "newest", FOLDER / "target-newest", FOLDER / "classpath-newest.txt", cypher="25"
    ),
}


class NoServerError(Exception):
    """No Neo4j server can be had: the reason says what to do."""


def selected() -> Build:
    """The build ``NEO4J_TEST_SERVER`` names: ``5.26`` (the default) or ``newest``."""
    name = os.environ.get("NEO4J_TEST_SERVER") or "5.26"
    if name not in BUILDS:
        raise NoServerError(f"NEO4J_TEST_SERVER={name}: expected one of {', '.join(BUILDS)}")
    return BUILDS[name]


def built() -> bool:
    """Whether ``scripts/setup`` has built the selected test server."""
    build = selected()
    return build.classes.is_dir() and build.classpath.is_file() and build.plugins.is_dir()


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
    build = selected()
    if not built():
        raise NoServerError(
            f"the Neo4j test server {build.name} is not built: run `make setup` (needs Maven, "
            "and Java 17 for 5.26, Java 21 or later for newest), "
            "or set NEO4J_TEST_URI to a scratch server"
        )
    port = _free_port()
    command = [
        build.java(),
        "-Xmx1g",
        "-cp",
        f"{build.classes}{os.pathsep}{build.classpath.read_text(encoding='utf-8').strip()}",
        "journeygraph.testserver.Launcher",
        str(port),
        str(folder),
        str(build.plugins),
        "" if sandboxed else "gds.*",
        str(transaction_memory or ""),
        build.cypher,
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
