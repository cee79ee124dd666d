"""Names a package exposes but loads on first use, so that importing it costs nothing."""

from __future__ import annotations

import importlib
import sys

# Only for type checkers: importing typing would cost every command's start-up.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from typing import Any

__all__ = ["lazy_attributes"]


def lazy_attributes(package: str, where: Mapping[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` for ``package``: each name of ``where`` is imported from the
    module it names the first time it is asked for, then kept.

    Examples
    --------
    >>> getattr_ = lazy_attributes("journeygraph", {"sqrt": "math"})
    >>> getattr_("sqrt")(9.0)
    3.0
    """

    def load(name: str) -> Any:
        if name not in where:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        try:
            module = importlib.import_module(where[name])
        except ModuleNotFoundError as err:
            # A library of an extra that is not installed: say which extra.
            from journeygraph.extras import missing_extra

            raise (missing_extra(err) or err) from None
        value = getattr(module, name)
        sys.modules[package].__dict__[name] = value
        return value

    return load
