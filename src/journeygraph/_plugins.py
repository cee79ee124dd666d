"""pydantic's search for plugins, answered without ``importlib.metadata`` when no
installed package declares one.

pydantic looks for plugins (entry points of the group ``pydantic``) when it builds its
first validator, through ``importlib.metadata``, whose import (``email``, ``zipfile``,
``csv``, ``socket`` ...) was a fifth of the CPU time of ``journeygraph validate``;
``PYDANTIC_DISABLE_PLUGINS`` skips the search but not that import. The console entry
point calls `skip_the_search_if_none`: it reads the entry-point files of the packages
on ``sys.path`` itself (a listing a folder, a few small files), and when none declares
the group, pydantic is told there are no plugins. When one does, or when packages
could be found some other way than Python's own (a finder of distributions of its
own, a zipped or egg entry on the path), pydantic searches as always: an installed
plugin is used either way.

networkx does the same for its backends (the groups ``networkx.backends`` and
``networkx.backend_info``, and in networkx 3.2 and 3.3 also ``networkx.plugins``
and ``networkx.plugin_info``), at its own import: ``importlib.metadata``'s import and
the search took 0.06 s of CPU, a fortieth of a 10,000-touchpoint audit. When no
package declares either group, `skip_the_search_if_none` also has networkx's backend
module, and it alone, import a stand-in whose ``entry_points`` finds none (see
`_NoBackends`); when one does, networkx searches as always.

The command line only: the library leaves pydantic's and networkx's modules alone.
"""

from __future__ import annotations

import os
import sys
import types
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any

__all__ = ["plugins_declared", "skip_the_search_if_none", "skip_the_search_when_needed"]

_LOADER = "pydantic.plugin._loader"


# networkx 3.2 and 3.3 also read the groups' earlier names, "plugins".
_NETWORKX_GROUPS = (
    "networkx.backends",
    "networkx.backend_info",
    "networkx.plugins",
    "networkx.plugin_info",
)
_BACKENDS = "networkx.utils.backends"


def skip_the_search_if_none() -> None:
    """Stand in for pydantic's plugin loader, and for networkx's search for backends,
    answering "none", when no package on ``sys.path`` declares one (see the module's
    docstring)."""
    declared = _groups_declared(("pydantic", *_NETWORKX_GROUPS))
    if _LOADER not in sys.modules and not declared[0]:
        loader = types.ModuleType(_LOADER)
        loader.__doc__ = "No package declares a pydantic plugin: see journeygraph._plugins."
        loader.PYDANTIC_ENTRY_POINT_GROUP = "pydantic"  # type: ignore[attr-defined]
        loader._plugins = {}  # type: ignore[attr-defined]  # what pydantic's loader caches
        loader._loading_plugins = False  # type: ignore[attr-defined]
        loader.get_plugins = _no_plugins  # type: ignore[attr-defined]
        sys.modules[_LOADER] = loader
    if _BACKENDS not in sys.modules and not any(declared[1:]):
        sys.meta_path.insert(0, _NoBackends())


def skip_the_search_when_needed() -> None:
    """`skip_the_search_if_none`, run when pydantic or networkx is first imported.

    Reading the entry points of every installed package takes 0.015 to 0.025 s of CPU,
    and a command that loads neither library (``discover`` without a map: DuckDB
    alone) has no search to skip: 1% of its time on a 1,000,000-event log."""
    sys.meta_path.insert(0, _BeforeTheirImport())


class _BeforeTheirImport:
    """Runs `skip_the_search_if_none` when pydantic or networkx is first looked for, and
    then leaves ``sys.meta_path``; it finds no module itself."""

    def find_spec(self, name: str, path: Sequence[str] | None, target: Any = None) -> None:
        if name.partition(".")[0] in ("pydantic", "networkx") and self in sys.meta_path:
            sys.meta_path.remove(self)
            skip_the_search_if_none()


def _no_plugins() -> tuple[()]:
    return ()


class _NoBackends:
    """Finds networkx's backend module as Python would, and has it import, in place of
    ``importlib.metadata``, a stand-in whose ``entry_points`` finds nothing: no package
    declares a backend. Taken off ``sys.meta_path`` once it has found the module.

    Only while that one module runs, and only if ``importlib.metadata`` is not loaded
    yet: every other import (later ones of networkx's included) gets the real module.
    """

    def find_spec(self, name: str, path: Sequence[str] | None, target: Any = None) -> Any:
        if name != _BACKENDS:
            return None
        if self in sys.meta_path:
            sys.meta_path.remove(self)
        from importlib.machinery import PathFinder

        spec = PathFinder.find_spec(name, path)
        if spec is not None and spec.loader is not None and "importlib.metadata" not in sys.modules:
            # Not a subclass of importlib.abc.Loader: importing that loads importlib.resources.
            spec.loader = _WithoutMetadata(spec.loader)  # type: ignore[assignment]
        return spec


class _WithoutMetadata:
    """A module's loader that runs the module with the stand-in ``importlib.metadata``."""

    def __init__(self, loader: Any) -> None:
        self._loader = loader

    def create_module(self, spec: Any) -> Any:
        return self._loader.create_module(spec)

    def exec_module(self, module: types.ModuleType) -> None:
        metadata = types.ModuleType("importlib.metadata")
        metadata.__doc__ = "No package declares a networkx backend: see journeygraph._plugins."
        metadata.entry_points = _no_entry_points  # type: ignore[attr-defined]
        sys.modules["importlib.metadata"] = metadata
        try:
            self._loader.exec_module(module)
        finally:
            if sys.modules.get("importlib.metadata") is metadata:
                del sys.modules["importlib.metadata"]


def _no_entry_points(**selection: Any) -> tuple[()]:
    return ()


def plugins_declared() -> bool:
    """Whether a package on ``sys.path`` declares a pydantic plugin, or might (found
    some way this function does not read): ``importlib.metadata`` then has to look."""
    return _groups_declared(("pydantic",))[0]


def _groups_declared(groups: Sequence[str]) -> list[bool]:
    """For each of ``groups``, whether a package on ``sys.path`` declares entry points
    of it, or might (found some way this function does not read).

    networkx declares one backend of its own, ``nx_loopback``, for its tests, and
    drops it wherever it finds it: that one is not counted.
    """
    from importlib.machinery import PathFinder

    everything = [True] * len(groups)
    for finder in sys.meta_path:
        if finder is not PathFinder and getattr(finder, "find_distributions", None):
            return everything
    declared = [False] * len(groups)
    for entry in sys.path:
        if not isinstance(entry, str):  # bytes, or an object of a path hook's
            return everything
        folder = entry or "."
        try:
            names = os.listdir(folder)
        except NotADirectoryError:  # a zip file on the path
            return everything
        except OSError:  # not there: importlib.metadata skips it too
            continue
        if folder.lower().endswith(".egg"):
            return everything
        for name in names:
            entries = _entry_points(folder, name)
            if entries is None:
                return everything
            for i, group in enumerate(groups):
                declared[i] = declared[i] or bool(entries.get(group, set()) - {"nx_loopback"})
    return declared


def _entry_points(folder: str, name: str) -> dict[str, set[str]] | None:
    """The names of the entry points of each group the distribution ``name`` in
    ``folder`` declares (none if it is not a distribution); None where the file cannot
    be read as text."""
    if not name.lower().endswith((".dist-info", ".egg-info")):
        return {}
    entries: dict[str, set[str]] = {}
    try:
        with open(os.path.join(folder, name, "entry_points.txt"), encoding="utf-8") as file:
            here: set[str] = set()
            for line in file:
                section = _section(line)
                if section is not None:
                    here = entries.setdefault(section, set())
                elif "=" in line:
                    here.add(line.partition("=")[0].strip())
    except OSError:  # no entry points (or an .egg-info that is a file)
        return {}
    except ValueError:  # not UTF-8: let importlib.metadata say what it makes of it
        return None
    return entries


def _section(line: str) -> str | None:
    """The name of the section ``line`` of an ``entry_points.txt`` heads, as
    ``importlib.metadata`` reads it: the line stripped, then the name between the
    brackets; None for any other line.

    Examples
    --------
    >>> [_section(line) for line in ("[pydantic]", " [ pydantic ] ", "[pydantic.v1]", "a = b")]
    ['pydantic', 'pydantic', 'pydantic.v1', None]
    """
    line = line.strip()
    return line[1:-1].strip() if line.startswith("[") and line.endswith("]") else None
