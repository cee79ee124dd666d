"""Running the workshop on a real ASGI server (uvicorn), on the address asked for."""

from __future__ import annotations

import asyncio
import contextlib
import errno
import gc
import socket
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Final

from journeygraph.exceptions import JourneyGraphError
from journeygraph.extras import optional

if TYPE_CHECKING:
    from types import FrameType

    from journeygraph.evidence.discovery.flow import ObservedFlow
    from journeygraph.serve.app import Workshop

__all__ = ["serve", "workshop"]


def workshop(
    paths: Sequence[Path],
    *,
    flow: ObservedFlow | None = None,
    host: str = "127.0.0.1",
    port: int = 8765,
    pool: Executor | None = None,
) -> Workshop:
    """The maps at ``paths``, each read (a workbook or CSV folder read-only), ready to serve.

    With a ``pool``, views are drawn in it, and shown as drafts on their last layout
    until they are (:class:`~journeygraph.serve.session.MapSession`).

    Examples
    --------
    >>> w = workshop([Path("examples/b2b-saas.yaml")])
    >>> w.address, w.token
    ('http://127.0.0.1:8765/', None)
    >>> workshop([Path("examples/b2b-saas.yaml")], host="0.0.0.0").token is not None
    True
    """
    from journeygraph.escape import shown
    from journeygraph.exceptions import MapError, Problem
    from journeygraph.serve.app import Workshop
    from journeygraph.serve.session import MapSession

    missing = [
        Problem(f"{shown(p)}: no such file; check the path") for p in paths if not p.exists()
    ]
    if missing:
        raise MapError(missing)
    sessions = [
        MapSession(p, flow=flow, pool=pool, drafts=pool is not None) for p in _distinct(paths)
    ]
    return Workshop(sessions, host=host, port=port)


def _distinct(paths: Sequence[Path]) -> list[Path]:
    """``paths`` without a file named twice (by another spelling or through a link): two
    sessions of one file would write over each other's edits.

    Examples
    --------
    >>> _distinct([Path("examples/b2b-saas.yaml"), Path("examples/../examples/b2b-saas.yaml")])
    [PosixPath('examples/b2b-saas.yaml')]
    """
    seen: set[tuple[int, int]] = set()
    kept = []
    for path in paths:
        info = path.stat()
        if (info.st_dev, info.st_ino) not in seen:
            seen.add((info.st_dev, info.st_ino))
            kept.append(path)
    return kept


def serve(
    paths: Sequence[Path],
    *,
    flow: ObservedFlow | None = None,
    host: str = "127.0.0.1",
    port: int = 8765,
    say: Callable[[str], None] = print,
) -> None:
    """Serve ``paths`` until interrupted; ``say`` is given the address once it listens.

    Port 0 takes a free port (the address says which). A map that is not there is
    refused before anything listens.
    """
    optional("uvicorn")  # not installed: which extra to install
    optional("starlette")

    # The command runs with the collector paused (a short run); a server runs for hours.
    gc.enable()
    pool = _drawing_pool()
    try:
        _run(workshop(paths, flow=flow, host=host, port=port, pool=pool), host, port, say)
    finally:  # drawings under way are not waited for
        pool.shutdown(wait=False, cancel_futures=True)


def _drawing_pool() -> ProcessPoolExecutor:
    """Processes to draw views in: the label geometry is seconds of Python on a large map,
    which in the server's process would hold up every request. Started by spawning (a
    fork of a process running threads may copy a held lock), so the processes import
    journeygraph afresh: ``python -m journeygraph`` guards its ``main()`` for that."""
    import multiprocessing
    import os

    workers = max(1, min(DRAWING_PROCESSES, os.cpu_count() or 1))
    # At a lower priority: the pages' drafts and findings come first on a busy machine.
    return ProcessPoolExecutor(
        workers, mp_context=multiprocessing.get_context("spawn"), initializer=_nice
    )


def _nice() -> None:
    """Start a drawing process: at a lower priority (where the system allows it), and
    ending when the server does. uvicorn ends the server by its signal once it has
    stopped, before any clean-up could stop the pool, and a worker waiting for work
    would wait for ever."""
    import contextlib
    import os
    import threading

    with contextlib.suppress(OSError, AttributeError):
        os.nice(DRAWING_NICENESS)
    server = os.getppid()

    def watch() -> None:
        import time

        while os.getppid() == server:
            time.sleep(1)
        os._exit(0)

    threading.Thread(target=watch, name="journeygraph-server-watch", daemon=True).start()


DRAWING_NICENESS: Final = 10
"""How much lower than the server's the drawing processes' priority is."""


DRAWING_PROCESSES: Final = 2
"""How many views are drawn at once, at most (fewer on a machine of fewer cores)."""


def _run(served: Workshop, host: str, port: int, say: Callable[[str], None]) -> None:
    """Listen on ``host``:``port`` and serve ``served`` until interrupted."""
    import uvicorn

    from journeygraph.serve.app import create_app

    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        listener = socket.socket(family, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((host.strip("[]"), port))
        # Listening before the address is printed: a page opened at once waits for the
        # app to start rather than being refused.
        listener.listen(2048)
    except OSError as err:
        # A port taken or not allowed is the port's fault; anything else (a name that
        # does not resolve, an address not of this machine) is the host's.
        port_fault = err.errno in (errno.EADDRINUSE, errno.EACCES)
        advice = "choose another --port" if port_fault else "check --host"
        raise JourneyGraphError(
            f"cannot listen on {host}:{port} ({err.strerror}); {advice}"
        ) from None
    served.port = listener.getsockname()[1]
    config = uvicorn.Config(
        create_app(served),
        log_level="warning",
        timeout_graceful_shutdown=1,
        lifespan="on",
    )
    say(served.address)

    class Server(uvicorn.Server):
        """uvicorn's server, ending the pages' event streams when told to stop (without
        that, it waits for them, then cancels them with an error)."""

        def handle_exit(self, sig: int, frame: FrameType | None) -> None:
            super().handle_exit(sig, frame)
            with contextlib.suppress(RuntimeError):  # no loop running yet: nothing to end
                asyncio.get_running_loop().call_soon_threadsafe(served.close)

    Server(config).run(sockets=[listener])
