"""Reading a journey back out of the graph database."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import ValidationError

from journeygraph.exceptions import StoreError
from journeygraph.model import JourneyMap
from journeygraph.store import library
from journeygraph.store.rows import UPSERT_ORDER, Rows, map_of
from journeygraph.store.runner import Runner, unpacked

__all__ = ["held_rows", "journeys", "pull", "read_rows", "switched"]


def read_rows(runner: Runner, journey: str, *, sections: Sequence[str] = UPSERT_ORDER) -> Rows:
    """The rows the database holds for ``journey``, one list per section (of
    ``sections``, the journey's first: all of them unless given).

    Raises
    ------
    StoreError
        When the database has no such journey.
    """
    rows = held_rows(runner, journey, sections=sections)
    if rows is None:
        raise StoreError(_unknown(runner, journey))
    for _ in range(3):
        # A staged push switched while this read ran, and the removal of the version it
        # read may have begun: read the journey again, as it is now (one version whole).
        if not switched(runner, journey):
            break
        rows = held_rows(runner, journey, sections=sections) or rows
    return rows


def switched(runner: Runner, journey: str) -> bool:
    """Whether the journey's current revision is no longer the one ``runner`` read it
    at (`journeygraph.store.revision.Pinned`); if so, the next read meets the new one.

    A runner that pins no revision (an embedded engine) never switched.
    """
    pinned = getattr(runner, "pinned", None)
    if pinned is None:
        return False
    (row,) = runner.run(library.query("sync/read-revision").text, {"journey": journey}) or [{}]
    if row.get("revision") == pinned(journey):
        return False
    runner.forget()  # type: ignore[attr-defined]
    return True


def held_rows(
    runner: Runner, journey: str, *, sections: Sequence[str] = UPSERT_ORDER
) -> Rows | None:
    """The rows the database holds for ``journey``, as :func:`read_rows` gives them, or
    None when it holds no such journey (without listing those it holds, which a
    push of a new journey, its switch included, would read for nothing)."""
    rows: Rows = {}
    for section in sections:
        q = library.query(f"sync/read-{section}")
        rows[section] = unpacked(runner.run(q.text, {"journey": journey}))
        if section == "journey" and not rows[section]:
            return None
    return rows


def pull(runner: Runner, journey: str) -> JourneyMap:
    """The map of ``journey`` as the database holds it.

    Raises
    ------
    StoreError
        When the database has no such journey.
    """
    rows = read_rows(runner, journey)
    try:
        return map_of(rows)
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        said = " ".join(f"{where}: {first['msg']}".split()).removeprefix(": ")
        more = f"; and {e.error_count() - 1} more" if e.error_count() > 1 else ""
        raise StoreError(
            f"journey {journey!r} in the database is inconsistent ({said}{more}): something "
            "it shares with other journeys changed after it was pushed; push its map again, "
            "with the journeys it shares functions with"
        ) from e


def journeys(runner: Runner) -> list[str]:
    """The ids of the journeys the database holds."""
    q = library.query("explore/journeys")
    return [row["journey"] for row in runner.run(q.text, {})]


def _unknown(runner: Runner, journey: str) -> str:
    known = journeys(runner)
    listing = ", ".join(repr(j) for j in known) if known else "none yet; push a map first"
    return f"no journey {journey!r} in the database (journeys there: {listing})"
