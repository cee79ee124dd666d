"""networkx's graph classes without its algorithms, for a command that needs no more.

``import networkx`` runs the package's ``__init__``, which imports every one of its
algorithms, generators, readers and writers, linear algebra and drawing (some 280
modules): 0.17 to 0.27 s of CPU, about a tenth of a 10,000-touchpoint ``audit``
(issue 30), whose graph is a `networkx.MultiDiGraph` read through its own dicts
(`journeygraph.graph`) and whose algorithms are journeygraph's. The console entry
point calls `defer_the_algorithms` before it answers ``audit`` or ``validate``: the
package's ``__init__`` then runs up to its graph classes, conversions and relabelling
(about 25 modules: 0.06 to 0.08 s), and the rest of it runs, in the same order and in
the same namespace, the first time anything asks the package for a name it does not
hold yet (a module ``__getattr__``, PEP 562), so that ``networkx`` ends with the names
a plain import gives it, whichever code asks. The entry point calls `load_the_rest`
before it hands a command to the command line, so every other command (and a
``serve``'s threads) finds the whole package, as ever.

A networkx whose ``__init__`` does not have the expected line (`_REST`) is imported
whole. The command line only: the library leaves networkx alone.
"""

from __future__ import annotations

import _thread
import sys

# Only for type checkers: importing typing would cost every command's start-up.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from types import ModuleType
    from typing import Any

__all__ = ["defer_the_algorithms", "load_the_rest"]

_REST = "from networkx import generators\n"
"""The line of ``networkx/__init__.py`` from which it is deferred: the generators, then
the readers and writers, the algorithms, linear algebra and drawing."""


def defer_the_algorithms() -> None:
    """Have ``import networkx`` stop before its algorithms, which load on first use (see
    the module's docstring); nothing if networkx is loaded already."""
    if "networkx" not in sys.modules and not any(
        isinstance(finder, _Finder) for finder in sys.meta_path
    ):
        sys.meta_path.insert(0, _Finder())


def load_the_rest() -> None:
    """Run the rest of networkx's ``__init__`` now if it was deferred, and stop deferring
    it in this process."""
    sys.meta_path[:] = [finder for finder in sys.meta_path if not isinstance(finder, _Finder)]
    module = sys.modules.get("networkx")
    loader = getattr(getattr(module, "__spec__", None), "loader", None)
    if module is not None and isinstance(loader, _Deferring):
        loader.finish(module)


def _split(source: str) -> tuple[str, str] | None:
    """``networkx/__init__.py``'s text as its head (up to its graph classes) and the rest,
    each line where it stands in the file; None if it has no line `_REST`.

    Examples
    --------
    >>> head, rest = _split("import os\\nfrom networkx import classes\\n" + _REST + "x = 1\\n")
    >>> head
    'import os\\nfrom networkx import classes\\n'
    >>> rest.splitlines()[2:]
    ['from networkx import generators', 'x = 1']
    >>> _split("import os\\n") is None
    True
    """
    at = source.find("\n" + _REST)
    if at < 0:
        return None
    head = source[: at + 1]
    # Blank lines in place of the head: the rest's tracebacks give the file's own lines.
    return head, "\n" * head.count("\n") + source[at + 1 :]


class _Finder:
    """Finds ``networkx`` as Python would and gives it a `_Deferring` loader; taken off
    ``sys.meta_path`` once it has found it."""

    def find_spec(self, name: str, path: Sequence[str] | None, target: Any = None) -> Any:
        if name != "networkx":
            return None
        if self in sys.meta_path:
            sys.meta_path.remove(self)
        from importlib.machinery import PathFinder

        spec = PathFinder.find_spec(name, path)
        get_source = getattr(getattr(spec, "loader", None), "get_source", None)
        if spec is None or get_source is None:
            return spec
        try:
            parts = _split(get_source(name) or "")
        except (ImportError, OSError):  # no source: as Python would load it
            return spec
        if parts is not None:
            # Not a subclass of importlib.abc.Loader: importing that loads importlib.resources.
            spec.loader = _Deferring(spec.loader, *parts)  # type: ignore[assignment]
        return spec


class _Deferring:
    """Runs networkx's ``__init__`` up to `_REST`, and the rest of it when the package is
    first asked for a name it does not hold."""

    def __init__(self, loader: Any, head: str, rest: str) -> None:
        self._loader = loader
        self._head = head
        self._rest: str | None = rest
        self._lock = _thread.RLock()

    def create_module(self, spec: Any) -> None:
        return None  # the default module, as for any package

    def exec_module(self, module: ModuleType) -> None:
        namespace = module.__dict__
        exec(compile(self._head, module.__file__ or "networkx", "exec"), namespace)

        def the_rest_on_use(name: str) -> Any:
            if not self.finish(module):  # asked while the rest runs: not there yet
                raise AttributeError(f"module 'networkx' has no attribute {name!r}")
            return getattr(module, name)

        namespace["__getattr__"] = the_rest_on_use

    def finish(self, module: ModuleType) -> bool:
        """Run the rest of the ``__init__`` in ``module`` unless it ran or is running;
        whether it has run."""
        with self._lock:
            rest, self._rest = self._rest, None
            if rest is None:  # run already, or running in this thread now
                return not self._running
            self._running = True
            try:
                # The package's own loader from here (a reload runs the whole file).
                module.__loader__ = self._loader
                if module.__spec__ is not None:
                    module.__spec__.loader = self._loader
                # Its own `__getattr__` (or none) replaces ours, as a plain import leaves it.
                del module.__dict__["__getattr__"]
                exec(compile(rest, module.__file__ or "networkx", "exec"), module.__dict__)
            finally:
                self._running = False
            return True

    _running = False
