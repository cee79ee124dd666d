"""The workshop's web app: the page, its state, its edits and its event stream.

Safe by default (issue 27, part 6): only the maps named on the command line are
served, by their place in that list (no path from a request reaches the file
system); on any address but the loopback a token is required on every request
and event stream; edits come only from the app's own page (same origin and a
CSRF token); bodies and edit rates are bounded; the page forbids inline script.
"""

from __future__ import annotations

import asyncio
import hmac
import secrets
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from importlib import resources
from typing import TYPE_CHECKING, Any, Final

from journeygraph.escape import json_text
from journeygraph.extras import optional
from journeygraph.serve.document import Edit
from journeygraph.serve.session import MapSession, Outcome
from journeygraph.serve.views import VIEWS

if TYPE_CHECKING:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response

__all__ = ["CSP", "MAX_BODY", "MAX_STREAMS", "Workshop", "create_app"]

MAX_BODY: Final = 64 * 1024
"""The largest request body accepted, in bytes: an edit is a few hundred."""
EDITS_PER_WINDOW: Final = 120
RATE_WINDOW: Final = 10.0
"""At most :data:`EDITS_PER_WINDOW` edits from one address in :data:`RATE_WINDOW` seconds."""
MAX_STREAMS: Final = 200
"""The most pages one map's event stream serves at once: a room, with room to spare."""
POLL_SECONDS: Final = 0.5
"""How often the map files are checked for a change made outside the workshop."""
CSP: Final = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
_ASSETS: Final = {"app.js": "text/javascript", "app.css": "text/css"}
_LOOPBACK: Final = ("127.0.0.1", "localhost", "::1", "[::1]")

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


@dataclass
class Workshop:
    """The served maps and the server's secrets.

    ``token`` is ``None`` on the loopback; elsewhere every request must carry it.
    """

    sessions: list[MapSession]
    host: str = "127.0.0.1"
    port: int = 8765
    token: str | None = None
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    listeners: list[list[asyncio.Queue[int | str]]] = field(default_factory=list)
    edits: dict[str, deque[float]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.listeners = [[] for _ in self.sessions]
        if self.token is None and self.host not in _LOOPBACK:
            self.token = secrets.token_urlsafe(24)

    @property
    def address(self) -> str:
        """The address to open (and to share with the room): with the token when one is needed."""
        host = f"[{self.host}]" if ":" in self.host and not self.host.startswith("[") else self.host
        return f"http://{host}:{self.port}/" + (f"?token={self.token}" if self.token else "")

    def close(self) -> None:
        """End every event stream, so that the server stops without waiting for the pages."""
        for queues in self.listeners:
            for queue in queues:
                queue.put_nowait(-1)

    def publish(self, index: int) -> None:
        """Tell every open page of map ``index`` that it has a new revision."""
        revision = self.sessions[index].revision
        for queue in self.listeners[index]:
            queue.put_nowait(revision)

    def refined(self, index: int, view: str) -> None:
        """Tell every open page of map ``index`` that ``view``, shown as a draft, is drawn."""
        for queue in self.listeners[index]:
            queue.put_nowait(view)

    def allowed(self, address: str) -> bool:
        """Whether ``address`` may make another edit now (a sliding window per address)."""
        now = time.monotonic()
        recent = self.edits.setdefault(address, deque())
        while recent and recent[0] < now - RATE_WINDOW:
            recent.popleft()
        if len(recent) >= EDITS_PER_WINDOW:
            return False
        recent.append(now)
        return True


class _Guard:
    """ASGI middleware: host, token, origin, CSRF token and body size, before any route."""

    def __init__(self, app: Any, workshop: Workshop) -> None:
        self.app, self.workshop = app, workshop

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        from starlette.requests import Request

        request = Request(scope)
        refusal = self._refusal(request)
        if refusal is not None:
            await _plain(*refusal)(scope, receive, send)
            return

        async def headed(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *_SECURITY_HEADERS]
            await send(message)

        await self.app(scope, _bounded(receive), headed)

    def _refusal(self, request: Request) -> tuple[int, str] | None:
        workshop = self.workshop
        host = request.headers.get("host", "")
        if workshop.token is None and host.rsplit(":", 1)[0] not in _LOOPBACK:
            # A page elsewhere that renamed itself to 127.0.0.1 (DNS rebinding) reads nothing.
            return 421, "this server answers only on the loopback address"
        if workshop.token is not None:
            given = request.query_params.get("token") or request.cookies.get("journeygraph_token")
            if not given or not hmac.compare_digest(given, workshop.token):
                return 403, "a token is needed: open the address journeygraph serve printed"
        if request.method in ("GET", "HEAD"):
            return None
        if request.method != "POST":
            return 405, "only GET and POST"
        origin = request.headers.get("origin")
        if origin != f"{request.url.scheme}://{host}":
            return 403, "edits are accepted only from the workshop's own page"
        csrf = request.headers.get("x-csrf-token", "")
        if not hmac.compare_digest(csrf, workshop.csrf):
            return 403, "edits are accepted only from the workshop's own page (CSRF token)"
        length = request.headers.get("content-length")
        if length is None or not length.isdigit() or int(length) > MAX_BODY:
            return 413, f"a request body must give its length and be at most {MAX_BODY} bytes"
        address = request.client.host if request.client else ""
        if not workshop.allowed(address):
            return 429, "too many edits at once; wait a few seconds"
        return None


def _bounded(receive: Receive) -> Receive:
    """``receive`` that stops a body longer than :data:`MAX_BODY`, whatever its header said."""
    seen = 0

    async def bounded() -> MutableMapping[str, Any]:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > MAX_BODY:
                raise _TooLargeError
        return message

    return bounded


class _TooLargeError(Exception):
    """A request body longer than :data:`MAX_BODY`."""


_SECURITY_HEADERS: Final = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cache-control", b"no-store"),
]


def _plain(status: int, message: str) -> Response:
    from starlette.responses import Response

    return Response(
        json_text({"status": "refused", "problems": [message]}),
        status_code=status,
        media_type="application/json",
        headers={k.decode(): v.decode() for k, v in _SECURITY_HEADERS},
    )


def _json(data: Any, status: int = 200) -> Response:
    from starlette.responses import Response

    return Response(json_text(data), status_code=status, media_type="application/json")


def _asset(name: str) -> str:
    return resources.files("journeygraph.serve").joinpath("static", name).read_text("utf-8")


def _edit_from(body: Any) -> Edit:
    from journeygraph.exceptions import MapError, Problem

    if not isinstance(body, dict) or not isinstance(body.get("kind"), str):
        raise MapError([Problem("an edit is a JSON object with a kind")])
    target = body.get("target")
    if not isinstance(target, list) or not all(isinstance(t, str) for t in target) or not target:
        raise MapError([Problem("an edit's target is a list of ids")])
    field_name = body.get("field", "")
    return Edit(
        body["kind"],
        tuple(target),
        field_name if isinstance(field_name, str) else "",
        body.get("value"),
        body.get("was"),
    )


class _Handlers:
    """The routes' handlers, over one workshop."""

    def __init__(self, workshop: Workshop) -> None:
        self.workshop = workshop
        self.assets = {name: _asset(name) for name in _ASSETS}
        self.page = _asset("index.html").replace("{{csrf}}", workshop.csrf)
        self.drawing: set[asyncio.Future[Any]] = set()

    def session_of(self, request: Request) -> tuple[int, MapSession] | None:
        index = request.path_params["index"]
        if 0 <= index < len(self.workshop.sessions):
            return index, self.workshop.sessions[index]
        return None

    async def home(self, request: Request) -> Response:
        from starlette.responses import Response

        response = Response(self.page, media_type="text/html; charset=utf-8")
        token = self.workshop.token
        if token is not None and request.query_params.get("token"):
            response.set_cookie("journeygraph_token", token, httponly=True, samesite="strict")
        return response

    async def asset(self, request: Request) -> Response:
        from starlette.responses import Response

        name = request.path_params["name"]
        if name not in self.assets:
            return _plain(404, "no such file")
        return Response(self.assets[name], media_type=_ASSETS[name])

    async def maps(self, request: Request) -> Response:
        sessions = self.workshop.sessions
        return _json([{"index": i, "file": s.path.name} for i, s in enumerate(sessions)])

    async def state(self, request: Request) -> Response:
        from starlette.concurrency import run_in_threadpool
        from starlette.responses import Response

        found = self.session_of(request)
        if found is None:
            return _plain(404, "no such map")
        text = await run_in_threadpool(found[1].state_text)
        return Response(text, media_type="application/json")

    async def view(self, request: Request) -> Response:
        from starlette.concurrency import run_in_threadpool
        from starlette.responses import Response

        found = self.session_of(request)
        name = request.path_params["name"]
        if found is None or name not in VIEWS:
            return _plain(404, "no such map or view")
        drawn = await run_in_threadpool(found[1].view_text, name)
        if drawn is None:
            return _plain(409, "the map is not valid now; fix it first")
        return Response(drawn, media_type="application/json")

    async def download(self, request: Request) -> Response:
        from starlette.concurrency import run_in_threadpool
        from starlette.responses import Response

        from journeygraph.exceptions import JourneyGraphError
        from journeygraph.report.downloads import DOWNLOADS

        found = self.session_of(request)
        name = request.path_params["name"]
        if found is None or name not in DOWNLOADS:
            return _plain(404, "no such map or download")
        try:
            made = await run_in_threadpool(found[1].download, name)
        except JourneyGraphError as err:  # no Chromium for the PDF, a slide template, ...
            return _plain(500, str(err))
        if made is None:
            return _plain(409, "the map is not valid now; fix it first")
        filename, data = made
        return Response(
            data,
            media_type=DOWNLOADS[name],
            headers={"content-disposition": f'attachment; filename="{filename}"'},
        )

    async def edit(self, request: Request) -> Response:
        from starlette.concurrency import run_in_threadpool

        from journeygraph.exceptions import MapError

        found = self.session_of(request)
        if found is None:
            return _plain(404, "no such map")
        body = await _body(request)
        if not isinstance(body, dict):
            return _plain(400, "an edit is a JSON object, of at most 64 KiB")
        try:
            change = _edit_from(body)
        except MapError as err:
            return _plain(400, str(err))
        revision = body.get("revision")
        outcome = await run_in_threadpool(
            found[1].apply,
            change,
            revision=revision if isinstance(revision, int) else -1,
            client=str(body.get("client", ""))[:64],
        )
        return await self._answered(*found, outcome)

    async def undo(self, request: Request) -> Response:
        from starlette.concurrency import run_in_threadpool

        found = self.session_of(request)
        if found is None:
            return _plain(404, "no such map")
        body = await _body(request)
        client = str(body.get("client", ""))[:64] if isinstance(body, dict) else ""
        outcome = await run_in_threadpool(found[1].undo, client=client)
        return await self._answered(*found, outcome)

    async def _answered(self, index: int, session: MapSession, outcome: Outcome) -> Response:
        from starlette.concurrency import run_in_threadpool

        if outcome.status == "applied":
            await run_in_threadpool(session.state_text)  # ready before the pages ask for it
            self.predraw(session)
            self.workshop.publish(index)
        status = {"applied": 200, "conflict": 409, "read-only": 403}.get(outcome.status, 422)
        return _json(outcome.to_dict(), status)

    def predraw(self, session: MapSession) -> None:
        """Start drawing the views the pages were showing, in threads: the pages' requests
        for them, which follow the new revision's event, wait for these drawings."""
        loop = asyncio.get_running_loop()
        for name in session.shown_views():
            drawing = loop.run_in_executor(None, session.view_text, name)
            self.drawing.add(drawing)
            drawing.add_done_callback(self.drawn)

    def drawn(self, drawing: asyncio.Future[Any]) -> None:
        """Forget a drawing (or preparation) done; its failure is the page's to see."""
        self.drawing.discard(drawing)
        if not drawing.cancelled():
            drawing.exception()  # a drawing that failed fails again for the page that asks

    async def events(self, request: Request) -> Response:
        from starlette.responses import StreamingResponse

        found = self.session_of(request)
        if found is None:
            return _plain(404, "no such map")
        index, session = found
        listeners = self.workshop.listeners[index]
        if len(listeners) >= MAX_STREAMS:
            return _plain(503, f"{MAX_STREAMS} pages follow this map already; close some")
        queue: asyncio.Queue[int | str] = asyncio.Queue()
        listeners.append(queue)

        async def stream() -> AsyncIterator[str]:
            try:
                yield f"event: revision\ndata: {session.revision}\n\n"
                while True:
                    try:
                        revision = await asyncio.wait_for(queue.get(), timeout=15)
                    except TimeoutError:
                        yield ": still here\n\n"
                        continue
                    if isinstance(revision, str):  # a view's drawing replaces its draft
                        yield f"event: drawn\ndata: {revision}\n\n"
                        continue
                    if revision < 0:
                        return
                    yield f"event: revision\ndata: {revision}\n\n"
            finally:
                listeners.remove(queue)

        return StreamingResponse(stream(), media_type="text/event-stream")

    async def watch(self) -> None:
        """Check the files for outside changes, and tell the pages of each one."""
        from starlette.concurrency import run_in_threadpool

        while True:
            await asyncio.sleep(POLL_SECONDS)
            for index, session in enumerate(self.workshop.sessions):
                if await run_in_threadpool(session.refresh):
                    await run_in_threadpool(session.state_text)
                    self.predraw(session)
                    self.workshop.publish(index)


async def _body(request: Request) -> Any:
    import json

    try:
        return json.loads(await request.body())
    except (_TooLargeError, ValueError):
        return None


def create_app(workshop: Workshop) -> Starlette:
    """The Starlette app serving ``workshop``'s maps (run it with uvicorn).

    Examples
    --------
    >>> from pathlib import Path
    >>> app = create_app(Workshop([MapSession(Path("examples/b2b-saas.yaml"))]))
    >>> sorted(r.path for r in app.routes)[:2]
    ['/', '/api/maps']
    """
    from contextlib import asynccontextmanager

    optional("starlette")  # not installed: which extra to install
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.routing import Route

    handlers = _Handlers(workshop)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        loop = asyncio.get_running_loop()
        for index, session in enumerate(workshop.sessions):

            def refined(view: str, index: int = index) -> None:
                loop.call_soon_threadsafe(workshop.refined, index, view)

            session.on_refined = refined
        for session in workshop.sessions:  # in threads: the pages are served meanwhile
            preparing = loop.run_in_executor(None, session.prepare)
            handlers.drawing.add(preparing)
            preparing.add_done_callback(handlers.drawn)
        task = asyncio.create_task(handlers.watch())
        try:
            yield
        finally:
            task.cancel()

    maps = "/api/maps/{index:int}"
    return Starlette(
        routes=[
            Route("/", handlers.home),
            Route("/static/{name}", handlers.asset),
            Route("/api/maps", handlers.maps),
            Route(f"{maps}/state", handlers.state),
            Route(f"{maps}/events", handlers.events),
            Route(f"{maps}/views/{{name}}", handlers.view),
            Route(f"{maps}/downloads/{{name}}", handlers.download),
            Route(f"{maps}/edit", handlers.edit, methods=["POST"]),
            Route(f"{maps}/undo", handlers.undo, methods=["POST"]),
        ],
        middleware=[Middleware(_Guard, workshop=workshop)],
        lifespan=lifespan,
    )
