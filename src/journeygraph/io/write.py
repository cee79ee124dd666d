"""Writing maps back to YAML."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from journeygraph.io.files import atomic_write
from journeygraph.io.yaml import dump_yaml
from journeygraph.model import JourneyMap

__all__ = ["dump_map", "save_map"]

HEADER = "# journeygraph journey map, format version 1 (`journeygraph validate` checks it)\n"


def map_data(m: JourneyMap) -> dict[str, Any]:
    """The map as plain data in the file format, leaving out what is at its default."""
    data: dict[str, Any] = m.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    for t in data.get("touchpoints", []):
        # A transition without a weight is written as the bare id, as people write it.
        t["next"] = [s["to"] if set(s) == {"to"} else s for s in t.get("next", [])] or None
        if t["next"] is None:
            del t["next"]
    return data


def dump_map(m: JourneyMap) -> str:
    """YAML text of the map, which :func:`journeygraph.loads` reads back to an equal map.

    Examples
    --------
    >>> from journeygraph import loads
    >>> from journeygraph.testing import tiny_map
    >>> loads(dump_map(tiny_map())) == tiny_map()
    True
    """
    return dump_yaml(map_data(m), header=HEADER)


def save_map(m: JourneyMap, path: str | Path) -> Path:
    """Write the map to ``path`` as YAML (atomically: the old file or the whole new one)."""
    return atomic_write(path, dump_map(m))
