"""The ``journeygraph`` command's entry point: Ctrl-C at any moment ends it with one line.

The command line takes a moment to load (typer, rich, the library); an
interrupt then would print Python's traceback, one during typer's own work
would end it without a word, and one that lands in a callback Python runs on
the side (a weak reference's, during an import) would be printed and then
ignored. This module imports nothing of journeygraph's until it is ready for
all three, and says one line for each: ``journeygraph: interrupted``, exit 130.
"""

from __future__ import annotations

import sys

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
    try:
        if sys.argv[1:] == ["--version"]:
            # Answered before the command tree (typer, rich, every command) is
            # built: the line the --version option prints, without their import.
            from journeygraph._version import __version__

            sys.stdout.write(f"journeygraph {__version__}\n")
            return
        from journeygraph._gc import ends_with_its_command

        ends_with_its_command()
        from journeygraph.cli import main as run

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
