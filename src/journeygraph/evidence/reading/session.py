"""The DuckDB session a log is read in: its connection, scratch and spill folders, errors.

Folders of ours are removed however a read ends (an error, Ctrl-C, a termination
signal); DuckDB running out of memory or interrupted becomes an error saying so.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import secrets
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

from journeygraph.evidence.reading.duckdb_engine import duckdb
from journeygraph.exceptions import JourneyGraphError

__all__ = [
    "connect",
    "duckdb_errors",
    "first_line",
    "idle_cores",
    "literal",
    "quoted",
    "scratch_folder",
    "spill_folder",
]


@contextlib.contextmanager
def duckdb_errors(file: str | Path) -> Iterator[None]:
    """Turn DuckDB running out of memory into an error saying so (with the log's size),
    and a query interrupted (Ctrl-C) into the `KeyboardInterrupt` it is."""
    try:
        yield
    except duckdb.InterruptException:
        raise KeyboardInterrupt from None
    except RuntimeError as err:
        # Ctrl-C while a query runs: DuckDB stops it and raises this, not KeyboardInterrupt.
        if str(err) == "Query interrupted":
            raise KeyboardInterrupt from None
        raise
    except duckdb.OutOfMemoryException as err:
        path = Path(file)
        size = f"{path.stat().st_size / 1e6:,.1f} MB" if path.is_file() else "its size unknown"
        raise JourneyGraphError(
            f"{file}: the log ({size}) needs more memory than is available here "
            f"({first_line(err)}); run on a machine with more memory, or on part of the "
            "log (--since, --until, --where)"
        ) from None


_TERMINATING = (signal.SIGTERM, signal.SIGHUP) if hasattr(signal, "SIGHUP") else (signal.SIGTERM,)


_REMOVED_ON_TERMINATION: list[Path] = []
"""Folders of ours a termination signal removes before the process ends."""


def _remove_and_end(signum: int, frame: FrameType | None) -> None:
    for made in [*_REMOVED_ON_TERMINATION, *_SPILL]:
        shutil.rmtree(made, ignore_errors=True)
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


def _remove_on_termination() -> None:
    """Have SIGTERM and SIGHUP remove our folders (at any moment, not only during a read),
    then end the process as the signal asks; a handler the application set is kept."""
    if threading.current_thread() is not threading.main_thread():
        return
    for terminating in _TERMINATING:
        if signal.getsignal(terminating) == signal.SIG_DFL:
            signal.signal(terminating, _remove_and_end)


@contextlib.contextmanager
def scratch_folder() -> Iterator[Path]:
    """A temporary folder, removed however the read ends: an error, Ctrl-C, or a
    termination signal (SIGTERM, SIGHUP), after which the process ends as the signal
    asks."""
    # Listed for the handler before it exists, and the handler set before that: a
    # signal at any instant finds the folder named (removing one never made is nothing).
    _remove_on_termination()
    folder = Path(tempfile.gettempdir()) / f"journeygraph-log-{secrets.token_hex(8)}"
    _REMOVED_ON_TERMINATION.append(folder)
    try:
        folder.mkdir(mode=0o700)
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        _REMOVED_ON_TERMINATION.remove(folder)


def connect(connection: duckdb.DuckDBPyConnection | None) -> duckdb.DuckDBPyConnection:
    con = connection or duckdb.connect()
    # DuckDB draws its own progress bar on stdout for long queries, which would
    # land in the middle of JSON or CSV written there.
    con.execute("SET enable_progress_bar = false")
    if connection is None:
        # A large log spills to disk: into a folder of ours, removed when the
        # process ends, rather than DuckDB's default `.tmp` in the user's folder.
        con.execute(f"SET temp_directory = {literal(str(spill_folder()))}")
        con.execute(f"SET threads = {idle_cores()}")
    return con


def idle_cores() -> int:
    """The cores this process may run on that other work leaves idle, at least one.

    DuckDB runs a thread per core by default. On a machine other work keeps busy
    (a load average at or above its cores), the extra threads do not run beside
    each other but take turns, and splitting, merging and waiting for each other
    cost CPU: one thread reads a 1,000,000-event log with about a tenth less CPU
    there, and no more wall time. The outputs are the same (byte for byte on the
    examples and on that log).
    """
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        cores = os.cpu_count() or 1
    try:
        busy = os.getloadavg()[0]
    except (AttributeError, OSError):  # Windows has no load average
        busy = 0.0
    return max(1, min(cores, round(cores - busy)))


_SPILL: list[Path] = []


def spill_folder() -> Path:
    """The folder DuckDB spills to in this process, made once and removed at exit and
    by a termination signal, whenever it comes."""
    if not _SPILL:
        folder = Path(tempfile.mkdtemp(prefix="journeygraph-spill-"))
        atexit.register(shutil.rmtree, folder, True)
        _SPILL.append(folder)
        _remove_on_termination()  # a SIGTERM after the read removes it too
    return _SPILL[0]


def literal(text: str) -> str:
    """``text`` as an SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def first_line(error: BaseException) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
