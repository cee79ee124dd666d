"""The ``journeygraph`` command's entry point: Ctrl-C at any moment ends it with one line.

The command line takes a moment to load (typer, rich, the library); an
interrupt then would print Python's traceback, one during typer's own work
would end it without a word, and one that lands in a callback Python runs on
the side (a weak reference's, during an import) would be printed and then
ignored. This module imports nothing of journeygraph's until it is ready for
all three, and says one line for each: ``journeygraph: interrupted``, exit 130.
"""

from __future__ import annotations

import _signal  # type: ignore[import-not-found]  # C module: no enum import, unlike signal
import os  # already loaded by Python's own start
import sys


def _before_main(signum: int, frame: object) -> None:
    # Ctrl-C while this module's own imports load (a slow start on a busy machine):
    # nothing is open or written yet, so the one line, and out.
    os.write(2, b"journeygraph: interrupted; no output was half-written\n")
    os._exit(130)


_signal.signal(_signal.SIGINT, _before_main)

import gc  # noqa: E402

# Not typing, signal (enum) or threading here: `journeygraph --version` would load them
# (a third of its time) for nothing.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

__all__ = ["INTERRUPTED", "interrupt_within", "main"]

INTERRUPTED = 130
"""The exit code of a command ended by Ctrl-C (128 + SIGINT), as shells report it."""


def main() -> None:
    """Load and run the command line; an interrupt at any moment exits 130 with one line."""
    swallowed: list[object] = []
    default = sys.unraisablehook

    def unraisable(info: sys.UnraisableHookArgs) -> None:
        # An interrupt Python could not raise where it landed: noted, acted on below.
        if info.exc_type is not None and issubclass(info.exc_type, KeyboardInterrupt):
            swallowed.append(info.exc_type)
            return
        default(info)

    sys.unraisablehook = unraisable
    _signal.signal(_signal.SIGINT, _signal.default_int_handler)  # from here, as KeyboardInterrupt
    try:
        if sys.argv[1:] == ["--version"]:
            # Answered before the command tree (typer, rich, every command) is
            # built: the line the --version option prints, without their import.
            from journeygraph._version import __version__

            sys.stdout.write(f"journeygraph {__version__}\n")
            return
        gc.disable()  # while the start-up's libraries load: see _collections_resumed
        from journeygraph._gc import ends_with_its_command
        from journeygraph._networkx import load_the_rest
        from journeygraph._plugins import skip_the_search_when_needed

        ends_with_its_command()
        skip_the_search_when_needed()
        _one_blas_thread()
        _defer_interrupts_in_extension_loads()
        try:
            if _answered(sys.argv[1:]):
                return
        finally:
            # What the command built is left out of the full collection Python runs
            # at exit (which ignores gc.disable), also when it ends by SystemExit: an
            # audit with findings exits 1 from within (that collection took 0.04 s of
            # a 10,000-touchpoint audit's CPU). Frozen, not collected: the process ends.
            gc.freeze()
        load_the_rest()  # every command of the command line finds networkx whole
        from journeygraph.cli import main as run

        _collections_resumed()
        run()
    except KeyboardInterrupt:
        _interrupted()
    except Exception as err:
        # An extension that was loading when Ctrl-C came raises its own error from it.
        if interrupt_within(err):
            _interrupted()
        raise
    except SystemExit as done:
        if done.code == INTERRUPTED:
            _interrupted()
        if swallowed:  # the command ran to its end all the same
            _interrupted("after its work was done; what it wrote is whole")
        raise
    if swallowed:
        _interrupted("after its work was done; what it wrote is whole")


def _one_blas_thread() -> None:
    """Have OpenBLAS (numpy's) solve on one thread, unless the user said otherwise.

    The matrices a command solves are small (a row per touchpoint: the Markov chain of
    ``discover --map``); OpenBLAS's threads spin while they wait for work, which on a
    shared machine cost six times the CPU of one thread (a 1,000-touchpoint map: 0.15 s
    against 0.025 s a solve) and more wall time too. Set before numpy loads it.
    """
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def _collections_resumed() -> None:
    """Turn the cyclic garbage collector back on for the command's own work, with the
    objects start-up built set aside (``gc.freeze``), never to be scanned again.

    Loading the libraries and building the model's classes makes a few hundred thousand
    objects and almost no garbage: with the collector on, it ran 58 times during
    ``validate`` of the B2B example and freed 458 objects; without those runs, and with
    the objects frozen before the exit's collection, ``validate`` runs 3.6% fewer
    instructions (valgrind). The objects live to the end of the process in any case.
    ``validate`` answered by the entry point (a few maps read, a line each) runs with the
    collector off to the end, as loading a map does (see ``journeygraph._gc``).
    """
    gc.freeze()
    gc.enable()


def _answered(args: list[str]) -> bool:
    """Whether a plain ``validate``, ``audit``, ``actions`` or ``discover`` was answered
    without the command line's libraries (typer, rich, pydantic's adapters); False
    leaves it to the command line."""
    if args[:1] in (["validate"], ["audit"], ["actions"]):
        from journeygraph._networkx import defer_the_algorithms

        # Their maps' graphs need networkx's classes, not its algorithms (a tenth of a
        # 10,000-touchpoint audit's CPU to import); all run on one thread.
        defer_the_algorithms()
    if args[:1] == ["validate"]:
        return _validated(args[1:])
    if args[:1] == ["audit"]:
        from journeygraph._audit_command import answered as audited

        return audited(args[1:], interrupted=interrupt_within)
    if args[:1] == ["actions"]:
        from journeygraph._actions_command import answered as planned

        return planned(args[1:], interrupted=interrupt_within)
    if args[:1] == ["discover"]:
        _collections_resumed()  # a command that runs as long as its log is large
        from journeygraph._discover import answered

        return answered(args[1:], interrupted=interrupt_within)
    return False


def _validated(args: list[str]) -> bool:
    """``validate MAP...`` of maps that are valid, answered without the command line's
    libraries (typer and rich: a third of its time): the lines the command prints.

    Anything else (an option, a map with problems, a file that is not there) returns
    False, and the command line runs as always and says what it says.
    """
    if not args or any(a.startswith("-") for a in args):
        return False
    from pathlib import Path

    # Regular files and folders only: a pipe (`<(...)`, /dev/stdin) read here would be
    # empty for the command line, should it have to run after all.
    if not all(Path(a).is_file() or Path(a).is_dir() for a in args):
        return False
    try:
        from journeygraph.escape import printable, shown
        from journeygraph.io.any import load_any, map_files

        maps = [load_any(file) for file in map_files([Path(a) for a in args])]
    except Exception:
        return False
    if not maps:
        return False
    for m in maps:
        # As `validate_command` words it; its console writes control characters out.
        line = (
            f"{shown(m.source.file if m.source else m.id)}: valid ({len(m.stages)} stages, "
            f"{len(m.touchpoints)} touchpoints, {len(m.functions)} functions)"
        )
        sys.stderr.write(printable(line) + "\n")
    sys.stderr.flush()
    return True


_loading = 0
"""How many extension modules are loading, one inside another (the outermost acts)."""


def _deferring(load: Callable[..., Any]) -> Callable[..., Any]:
    """``load`` (an extension module's create or exec step) with Ctrl-C held until it ends.

    A KeyboardInterrupt raised inside a C extension's initialisation (DuckDB's enums,
    made by nanobind, are Python calls) is a "critical error" to the binding library:
    it prints its own traceback and aborts the process. While an extension loads, the
    interrupt is only noted; it is raised once the load is done, where the entry point
    turns it into its one line.
    """
    import signal
    import threading

    def run(self: object, *args: Any) -> Any:
        global _loading
        if _loading or threading.current_thread() is not threading.main_thread():
            return load(self, *args)
        noted: list[int] = []
        previous = signal.signal(signal.SIGINT, lambda number, _frame: noted.append(number))
        _loading += 1
        try:
            return load(self, *args)
        finally:
            _loading -= 1
            signal.signal(signal.SIGINT, previous or signal.default_int_handler)
            if noted:
                # The interrupt wins over the load's outcome, as it would have without us.
                raise KeyboardInterrupt

    return run


def _defer_interrupts_in_extension_loads() -> None:
    """Hold Ctrl-C while any C extension loads, for this process (the command line only:
    the library never changes how a program handles signals)."""
    from importlib.machinery import ExtensionFileLoader

    loader: Any = ExtensionFileLoader
    loader.create_module = _deferring(loader.create_module)
    loader.exec_module = _deferring(loader.exec_module)


def interrupt_within(err: BaseException) -> bool:
    """Whether a KeyboardInterrupt stands behind ``err`` (its cause or context): Ctrl-C
    caught inside a library and raised again as the library's own error."""
    seen: set[int] = set()
    here: BaseException | None = err
    while here is not None and id(here) not in seen:
        if isinstance(here, KeyboardInterrupt):
            return True
        seen.add(id(here))
        here = here.__cause__ or here.__context__
    return False


def _interrupted(how: str = "no output was half-written") -> None:
    sys.stderr.write(f"journeygraph: interrupted; {how}\n")
    sys.stderr.flush()
    raise SystemExit(INTERRUPTED)
