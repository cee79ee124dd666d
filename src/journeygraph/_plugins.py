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

The command line only: the library leaves pydantic's modules alone.
"""

from __future__ import annotations

import os
import sys
import types

__all__ = ["plugins_declared", "skip_the_search_if_none"]

_LOADER = "pydantic.plugin._loader"


def skip_the_search_if_none() -> None:
    """Stand in for pydantic's plugin loader, answering "none", when no package on
    ``sys.path`` declares a pydantic plugin (see the module's docstring)."""
    if _LOADER in sys.modules or plugins_declared():
        return
    loader = types.ModuleType(_LOADER)
    loader.__doc__ = "No package declares a pydantic plugin: see journeygraph._plugins."
    loader.PYDANTIC_ENTRY_POINT_GROUP = "pydantic"  # type: ignore[attr-defined]
    loader._plugins = {}  # type: ignore[attr-defined]  # what pydantic's loader caches
    loader._loading_plugins = False  # type: ignore[attr-defined]
    loader.get_plugins = _no_plugins  # type: ignore[attr-defined]
    sys.modules[_LOADER] = loader


def _no_plugins() -> tuple[()]:
    return ()


def plugins_declared() -> bool:
    """Whether a package on ``sys.path`` declares a pydantic plugin, or might (found
    some way this function does not read): ``importlib.metadata`` then has to look."""
    from importlib.machinery import PathFinder

    for finder in sys.meta_path:
        if finder is not PathFinder and getattr(finder, "find_distributions", None):
            return True
    for entry in sys.path:
        if not isinstance(entry, str):  # bytes, or an object of a path hook's
            return True
        folder = entry or "."
        try:
            names = os.listdir(folder)
        except NotADirectoryError:  # a zip file on the path
            return True
        except OSError:  # not there: importlib.metadata skips it too
            continue
        if folder.lower().endswith(".egg"):
            return True
        if any(_declares(folder, name) for name in names):
            return True
    return False


def _declares(folder: str, name: str) -> bool:
    if not name.lower().endswith((".dist-info", ".egg-info")):
        return False
    try:
        with open(os.path.join(folder, name, "entry_points.txt"), encoding="utf-8") as file:
            return any(_heads_the_group(line) for line in file)
    except OSError:  # no entry points (or an .egg-info that is a file)
        return False
    except ValueError:  # not UTF-8: let importlib.metadata say what it makes of it
        return True


def _heads_the_group(line: str) -> bool:
    """Whether ``line`` of an ``entry_points.txt`` heads the ``pydantic`` group, as
    ``importlib.metadata`` reads a section's name: the line stripped, then the name
    between the brackets.

    Examples
    --------
    >>> [_heads_the_group(line) for line in ("[pydantic]", " [ pydantic ] ", "[pydantic.v1]")]
    [True, True, False]
    """
    line = line.strip()
    return line.startswith("[") and line.endswith("]") and line[1:-1].strip() == "pydantic"
