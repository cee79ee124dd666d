"""Pausing the garbage collector while building large structures."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["paused_gc"]


@contextmanager
def paused_gc() -> Iterator[None]:
    """Run the block with the cyclic garbage collector off.

    Building a map creates millions of small objects and no reference cycles;
    the collector's repeated full scans of them made loading a 100,000-touchpoint
    map 1.5x slower and validating it 3x slower. Memory is still freed by
    reference counting.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
