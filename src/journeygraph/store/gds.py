"""The Graph Data Science library, for the queries that ask for it.

`neo4j audit` finds a journey's loops on the transitions its pull of the map
read (`journeygraph.store.audit.TRAVERSALS`), whether or not the server has
GDS; ``--gds`` finds them with GDS's strongly connected components
(``gds.scc``, one query, `require` first checks that it can run), which is
slower. Searching in the database, plain Cypher takes breadth-first searches
from the touchpoints a loop may start from (`journeygraph.store.audit.loop_rows`),
one query per start. The handoff network's queries (``gds/handoff-brokers``,
``gds/single-points-of-failure``) run through `neo4j query`. The queries in
``cypher/gds/`` project one journey into GDS's memory under a name made up
here, and drop it again before they return; should one fail after its
projection, `drop_left` drops what this run left. Nothing else changes: the
rows have the columns of the plain Cypher query they replace, so the findings
are worded and counted the same.

Examples
--------
>>> REPLACES["loop"]
'gds/loop'
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final, NamedTuple

from journeygraph.exceptions import StoreError
from journeygraph.store import library
from journeygraph.store.runner import Runner

if TYPE_CHECKING:
    from journeygraph.store.driver import Neo4jStore

__all__ = [
    "REPLACES",
    "Availability",
    "availability",
    "drop_left",
    "graph_name",
    "installed",
    "parameters",
    "projects",
    "require",
    "version",
]

ALLOW: Final = "dbms.security.procedures.unrestricted=gds.*"
"""The server setting that lets GDS's procedures reach the graph (outside the sandbox)."""

REPLACES: Final[Mapping[str, str]] = {"loop": "gds/loop"}
"""Audit rule id → the GDS query that gives its rows in place of ``audit/<id>``."""


def installed(runner: Runner) -> bool:
    """Whether the server has GDS, with the procedures the ``gds/`` queries call."""
    rows = runner.run(library.query("gds/installed").text, {})
    return bool(rows and rows[0]["installed"])


def version(runner: Runner) -> str:
    """GDS's version, e.g. ``"2.13.9"``; only once `installed` says it is there.

    Fails on a server that keeps GDS in its sandbox (see `availability`).
    """
    return str(runner.run(library.query("gds/version").text, {})[0]["version"])


_PREFIX: Final = f"journeygraph-{uuid.uuid4().hex[:12]}-"
"""The start of every projection name this process makes: its own, so that
`drop_left` drops nothing of another run or application."""
_NUMBERS = itertools.count(1)


def projects(q: library.Query) -> bool:
    """Whether ``q`` is a shipped GDS query that projects a graph under ``$graph``.

    Examples
    --------
    >>> projects(library.query("gds/loop")), projects(library.query("gds/version"))
    (True, False)
    """
    return q.name.startswith("gds/") and "graph" in q.parameters


def graph_name() -> str:
    """A fresh name for one in-memory projection, never built from user text.

    Examples
    --------
    >>> a, b = graph_name(), graph_name()
    >>> a != b and a.startswith("journeygraph-") and a.rsplit("-", 1)[0] == b.rsplit("-", 1)[0]
    True
    """
    return f"{_PREFIX}{next(_NUMBERS)}"


def drop_left(runner: Runner) -> list[str]:
    """Drop the projections of this process that a failed query left behind.

    A ``gds/`` query drops its projection before it returns; one that fails
    after projecting (a GDS error, a timeout) leaves it in the server's memory.
    Run this in a transaction of its own after such a failure.
    """
    rows = runner.run(library.query("gds/drop-left").text, {"prefix": _PREFIX})
    return list(rows[0]["dropped"]) if rows else []


def parameters(given: Mapping[str, Any]) -> dict[str, Any]:
    """``given`` with a fresh projection name: each run, retries included, has its own."""
    return {**given, "graph": graph_name()}


class Availability(NamedTuple):
    """Whether the ``gds/`` queries can run on a server, and if not, why."""

    version: str | None
    """GDS's version when its queries can run there; None when they cannot."""
    installed: bool
    """Whether GDS is there at all (it may be sandboxed, or not be listable)."""
    reason: str = ""
    """When they cannot: what is wrong and what to do, to follow the server's address."""


def availability(store: Neo4jStore) -> Availability:
    """Whether the ``gds/`` queries can run on ``store``'s server, and if not, why.

    GDS may be installed but sandboxed (its procedures not allowed by
    :data:`ALLOW`): then Neo4j lists them but refuses to run some (EXPLAIN
    passes, the call fails). `version` makes such a call, in a transaction of
    its own, before any query projects a graph that a failure would leave behind.
    A role that may not list procedures is told so, and counted as without GDS.
    """
    try:
        there = store.read(installed)
    except StoreError as err:
        reason = f"did not list its procedures ({_said(err)}): GDS not looked for"
        return Availability(None, False, reason)
    if not there:
        return Availability(
            None,
            False,
            "has no Graph Data Science library (gds.scc.stream and gds.graph.drop): "
            f"install its plugin and allow its procedures ({ALLOW})",
        )
    try:
        return Availability(store.read(version), True)
    except StoreError as err:
        return Availability(
            None,
            True,
            f"has the Graph Data Science library but refused a call to it ({_said(err)}): "
            f"allow its procedures ({ALLOW})",
        )


def require(store: Neo4jStore, shown: str) -> str:
    """Check that GDS can find loops on ``store``'s server (at ``shown``): what to say.

    For ``neo4j audit --gds`` only: by default the audit finds loops on the
    transitions it pulls, faster than ``gds.scc``, and never looks for GDS.

    Raises
    ------
    StoreError
        GDS cannot run there: says why and what to do.
    """
    why = availability(store)
    if why.version is None:
        raise StoreError(f"{shown} {why.reason}; or leave out --gds")
    return f"loops found with Graph Data Science {why.version} (gds.scc)"


def _said(err: StoreError) -> str:
    """What the server said, without journeygraph's preamble."""
    return (str(err).partition("refused the request: ")[2] or str(err)).rstrip(".")
