"""Pausing the garbage collector while building large structures."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["ends_with_its_command", "kept_to_the_end", "paused_gc"]

_ends_with_its_command = False

_kept: list[object] = []
"""What `kept_to_the_end` holds: a list that holds itself, so that the interpreter's
clearing of modules at exit does not free it either."""
_kept.append(_kept)


def ends_with_its_command() -> None:
    """Declare that this process ends when its command does: the console entry point.

    The objects a command builds then stay out of the collector's reach up to the
    process's exit (see `paused_gc`). A process that goes on (tests running
    commands in-process, a notebook) never calls this, and its collector
    frees what the command left, cycles included.
    """
    global _ends_with_its_command
    _ends_with_its_command = True


def kept_to_the_end(*objects: object) -> None:
    """Keep ``objects`` (and all they hold) to the process's end if it ends with its
    command: freed there with the process, not one object at a time before it.

    An audit's results are done with once their text is made, and freeing them by
    reference counting took 0.02 s of a 10,000-touchpoint audit's CPU and 0.3 s at
    100,000 (their findings, messages, locations and details), just before the
    process gave all its memory back at once. Held in a cycle the collector is off
    for (`paused_gc`) and that the objects' freezing at the end puts beyond its
    reach. A process that goes on lets them go as usual.
    """
    if _ends_with_its_command:
        _kept.extend(objects)


@contextmanager
def paused_gc() -> Iterator[None]:
    """Run the block with the cyclic garbage collector off.

    Building a map creates millions of small objects, and the collector's
    repeated full scans of them made loading a 100,000-touchpoint map 1.5x
    slower and validating it 3x slower. Memory is still freed by reference
    counting. But the data does hold reference cycles (issue 30 measured, at
    10,000 touchpoints, 0.39 s collecting 255,985 objects in the first full
    collection once the collector was back on, as the command ended). In a process that
    ends with its command (`ends_with_its_command`) that collection only
    delays the exit, so the objects built in the block are frozen
    (`gc.freeze`: moved where no collection looks) instead; the few cycles
    among them are freed with the process.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if _ends_with_its_command:
                gc.freeze()
            gc.enable()
