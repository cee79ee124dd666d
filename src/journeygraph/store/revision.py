"""Which version of a journey a query meets: the revision its Journey node names.

A journey's stages, touchpoints, personas and opportunities carry a
``revision`` (and their ``key`` ends with it); the ``Journey`` node names the
current one. Every shipped query that meets them selects that revision
(``{journey: $journey, revision: $revision}``), so a staged push writes the
next version beside the current one, unseen, and switches to it by changing
one property of the Journey node (`journeygraph.store.staging`).

:class:`Pinned` gives each query its ``$revision``: read once per transaction
and journey (`cypher/sync/read-revision`), so that every query of a read
transaction meets the same version, and read again once the transaction holds
the journey's push lock (a switch may have committed while it waited).
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from journeygraph.exceptions import StoreError
from journeygraph.store import library

__all__ = ["Pinned", "new_revision"]


def new_revision() -> str:
    """A revision no other version of any journey has had or will have."""
    return uuid.uuid4().hex


class Pinned:
    """A `journeygraph.store.runner.Runner` (around another's ``run``) that gives each
    query using ``$revision`` its journey's current one.

    A query given ``revision`` keeps it (the switch of a staged push names the
    version it writes).
    """

    def __init__(self, run: Callable[[str, Mapping[str, Any]], list[dict[str, Any]]]) -> None:
        self._run = run
        self._pins: dict[str, str] = {}

    def run(self, query: str, parameters: Mapping[str, Any]) -> list[dict[str, Any]]:
        """Rows of ``query``, given ``revision`` when it uses one and names a journey."""
        if "$revision" in query and "revision" not in parameters and "journey" in parameters:
            parameters = {**parameters, "revision": self.revision(parameters["journey"])}
        rows = self._run(query, parameters)
        if query == _lock_text():
            # Now under the push lock: a switch that committed meanwhile has moved
            # the pointer.
            self._pins.clear()
        return rows

    def revision(self, journey: str) -> str | None:
        """The journey's current revision (None: no such journey, not remembered:
        a push may create it in this transaction).

        Raises
        ------
        StoreError
            When the journey was pushed by a release before revisions.
        """
        if journey in self._pins:
            return self._pins[journey]
        q = library.query("sync/read-revision")
        rows = self._run(q.text, {"journey": journey})
        if not rows:
            return None
        revision = rows[0]["revision"]
        if revision is None:
            raise StoreError(
                f"journey {journey!r} was pushed by an earlier release of journeygraph, "
                "before versions of a journey: run `journeygraph neo4j migrate` once, then "
                "try again"
            )
        self._pins[journey] = revision
        return str(revision)

    def pinned(self, journey: str) -> str | None:
        """The revision the queries of ``journey`` have met so far (None: none yet)."""
        return self._pins.get(journey)

    def forget(self) -> None:
        """Read each journey's revision again at its next query (after a switch)."""
        self._pins.clear()


@functools.cache
def _lock_text() -> str:
    """The push lock's statement (read once: `Pinned` compares each query with it)."""
    return library.query("sync/lock").text
