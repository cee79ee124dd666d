"""Running the workshop on a real ASGI server (uvicorn), on the address asked for."""

from __future__ import annotations

import asyncio
import contextlib
import errno
import gc
import socket
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

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
) -> Workshop:
    """The maps at ``paths``, each read (a workbook or CSV folder read-only), ready to serve.

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
    return Workshop([MapSession(p, flow=flow) for p in _distinct(paths)], host=host, port=port)


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
    import uvicorn

    from journeygraph.serve.app import create_app

    # The command runs with the collector paused (a short run); a server runs for hours.
    gc.enable()
    served = workshop(paths, flow=flow, host=host, port=port)
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        listener = socket.socket(family, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((host.strip("[]"), port))
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
