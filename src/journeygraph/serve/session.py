"""One map served to a room: its text, its revision, its audit, and the edits made to it.

The file is the source of truth. An edit is made to the text
(:mod:`journeygraph.serve.document`), loaded as the CLI loads a map (an invalid
result is refused with the loader's located messages and nothing is written),
then written back atomically. A change made to the file from outside is read on
the next :meth:`MapSession.refresh`.
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
from collections.abc import Callable
from concurrent.futures import (
    BrokenExecutor,
    CancelledError,
    Executor,
    Future,
    ThreadPoolExecutor,
)
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from journeygraph.audit import audit
from journeygraph.escape import shown
from journeygraph.exceptions import JourneyGraphError, MapError
from journeygraph.io.files import atomic_write
from journeygraph.render import View, log_layers
from journeygraph.serve.document import (
    DELETES,
    RESTORE,
    Edit,
    MapText,
    current_value,
    inverse,
    safe_data,
)
from journeygraph.serve.views import (
    ViewPlan,
    draft_view,
    drawn_laid_out,
    page_state,
    view_plan,
)

if TYPE_CHECKING:
    from journeygraph.audit import AuditResult
    from journeygraph.evidence import Evidence
    from journeygraph.evidence.discovery.flow import ObservedFlow
    from journeygraph.model import JourneyMap

__all__ = ["MapSession", "Outcome"]

UNDO_DEPTH: Final = 50
"""How many of one person's edits can be undone."""
DRAWINGS_KEPT: Final = 16
"""How many drawn views are kept for reuse (by the digest of their DOT): a few revisions' worth."""

_UNCHECKED: Final = frozenset({"touchpoint-add", "function-add", "department-add", "handoff-add"})
"""Edits that add something: nobody else's value is overwritten, the loader refuses duplicates."""


_THREADS: list[ThreadPoolExecutor] = []


def _threads() -> ThreadPoolExecutor:
    """The threads views are drawn in when no pool is given, made when first needed."""
    if not _THREADS:
        _THREADS.append(ThreadPoolExecutor(max_workers=4, thread_name_prefix="journeygraph-draw"))
    return _THREADS[0]


def _failed(future: Future[Any]) -> bool:
    """Whether ``future`` is done with an exception (a drawing process died): drawn again
    when asked, rather than failing for good. (A view Graphviz cannot draw is not an
    exception: its drawing says why.)"""
    return future.done() and not future.cancelled() and future.exception() is not None


@dataclass(frozen=True)
class Outcome:
    """What became of an edit: ``applied``, ``conflict`` (with the value now in the map),
    ``invalid`` (with the located problems) or ``read-only``."""

    status: str
    revision: int
    problems: list[str] = field(default_factory=list)
    current: Any = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data for the page."""
        return {
            "status": self.status,
            "revision": self.revision,
            "problems": self.problems,
            "current": self.current,
        }


class MapSession:
    """A map file served for editing, or read only when it is a workbook or CSV folder.

    Examples
    --------
    >>> session = MapSession(Path("examples/b2b-saas.yaml"))
    >>> session.revision, session.read_only
    (1, None)
    """

    def __init__(
        self,
        path: Path,
        *,
        flow: ObservedFlow | None = None,
        pool: Executor | None = None,
        drafts: bool = False,
    ) -> None:
        self.path = path
        self.flow = flow
        self.revision = 0
        self.text = ""
        self.digest = ""
        self.stamp: tuple[int, int] | None = None
        self.problems: list[str] = []
        self.map: JourneyMap | None = None
        self._state: dict[str, Any] | None = None
        self._state_text: tuple[dict[str, Any], str] | None = None
        self._result: AuditResult | None = None
        self._evidence: Evidence | None = None
        self._views: dict[str, Future[tuple[int, ViewPlan]]] = {}
        self._drawings: dict[str, Future[tuple[dict[str, Any], str | None]]] = {}
        self._latest: dict[str, Future[tuple[dict[str, Any], str | None]]] = {}
        self._drafts: dict[str, Future[dict[str, Any] | None]] = {}
        self._layouts: dict[str, str] = {}
        self._given: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {}
        self.pool = pool
        """Where views are drawn (a process pool in the server: off its event loop and its
        lock, several at once); ``None``: in threads."""
        self.drafts = drafts
        """Whether a view not drawn yet is shown at once as a draft on its last layout."""
        self.on_refined: Callable[[str], None] | None = None
        """Told the view's name (from another thread) when a view shown as a draft is drawn."""
        self._shown: list[str] = []
        self._view_texts: dict[str, tuple[dict[str, Any], str]] = {}
        self._undo: dict[str, list[Edit]] = {}
        self.document: MapText | None = None
        self.lock = threading.RLock()
        self.read_only = self._read_only_reason(path)
        self.refresh(force=True)

    @staticmethod
    def _read_only_reason(path: Path) -> str | None:
        if path.suffix.lower() in (".yaml", ".yml") and path.is_file():
            return None
        return (
            f"{shown(path.name)} is a workbook or CSV folder: the workshop writes edits to YAML "
            "maps only, so it is shown read-only. Turn it into YAML with `journeygraph import` "
            "and serve that file to edit it."
        )

    # --- reading ----------------------------------------------------------------------------

    def _stat(self) -> tuple[int, int] | None:
        try:
            info = self.path.stat()
        except OSError:
            return None
        return (info.st_mtime_ns, info.st_size)

    def refresh(self, *, force: bool = False) -> bool:
        """Read the file again if it changed (modification time and size, then content hash);
        ``True`` when the revision moved on."""
        with self.lock:
            stamp = self._stat()
            if not force and stamp == self.stamp:
                return False
            self.stamp = stamp
            if self.read_only is not None:
                return self._load_other(force)
            from journeygraph.io.load import loads, read_text

            try:
                text = read_text(self.path)
            except MapError as err:
                return self._set_problems(err, "")
            digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
            if digest == self.digest and not force:
                return False
            self.text, self.digest = text, digest
            try:
                m = loads(text, str(self.path))
            except MapError as err:
                return self._set_problems(err, digest)
            self._set_map(m)
            return True

    def _load_other(self, force: bool) -> bool:
        from journeygraph.io.any import load_any

        if not force and self.map is not None:
            return False
        try:
            self._set_map(load_any(self.path))
        except MapError as err:
            return self._set_problems(err, "")
        return True

    def _set_problems(self, err: MapError, digest: str) -> bool:
        self.digest = digest
        self.problems = [str(p) for p in err.problems]
        self.map, self._state, self._result, self._views = None, None, None, {}
        self._evidence = None
        self.revision += 1
        return True

    def _set_map(self, m: JourneyMap) -> None:
        self._shown = [*self._views] or self._shown
        self.map, self.problems, self._state, self._result, self._views = m, [], None, None, {}
        self._evidence = None
        self.revision += 1

    def state(self) -> dict[str, Any]:
        """What the page shows at this revision, computed once per revision."""
        with self.lock:
            if self._state is None:
                self._state = self._compute()
            return self._state

    def state_text(self) -> str:
        """:meth:`state` as JSON text, written once per revision for all the pages."""
        from journeygraph.escape import json_text

        with self.lock:
            state = self.state()
            if self._state_text is None or self._state_text[0] is not state:
                self._state_text = (state, json_text(state))
            return self._state_text[1]

    def _compute(self) -> dict[str, Any]:
        base: dict[str, Any] = {
            "revision": self.revision,
            "file": self.path.name,
            "read_only": self.read_only,
            "problems": self.problems,
        }
        if self.map is None:
            return base
        graph = self.map.to_networkx()  # built once for the audit and the scorecard
        self._result = audit(self.map, graph=graph)
        return {**base, **page_state(self.map, self._result, graph=graph)}

    def view(self, name: str) -> dict[str, Any] | None:
        """One view as SVG at this revision (``None`` while the map is invalid).

        Planned once for all the pages asking, outside the lock (edits and the findings
        do not wait for Graphviz), and not drawn again for a view whose DOT is one drawn
        lately: an edit that changes nothing a view shows costs that view no drawing.
        With :attr:`drafts`, a view whose drawing is not ready is drawn at once on its
        last layout (marked ``draft``) until it is, and :attr:`on_refined` is told then.
        """
        with self.lock:
            if self.map is None:
                return None
            pending = self._views.get(name)
            mine = pending is None
            if pending is None:
                pending = self._views[name] = Future()
                self.state()
                assert self._result is not None
                revision, m, result = self.revision, self.map, self._result
                observed = self._observed(View(name))
        if mine:
            try:
                pending.set_result((revision, view_plan(View(name), m, result, **observed)))
            except BaseException as err:
                pending.set_exception(err)
                with self.lock:
                    if self._views.get(name) is pending:
                        del self._views[name]
                raise
        revision, plan = pending.result()
        drawn = self._drawn(name, plan)
        with self.lock:
            kept = self._given.get(name)
            if kept is None or kept[0] is not drawn or kept[1]["revision"] != revision:
                kept = self._given[name] = (drawn, {"revision": revision, **drawn})
            return kept[1]

    def _drawn(self, name: str, plan: ViewPlan) -> dict[str, Any]:
        """``plan`` drawn, or the drawing of the same DOT made lately; with :attr:`drafts`,
        while that drawing is being made, a draft on the view's last layout."""
        with self.lock:
            exact = self._drawings.get(plan.digest)
            if exact is None or exact.cancelled() or _failed(exact):
                exact = self._drawings[plan.digest] = self._draw(name, plan)
                while len(self._drawings) > DRAWINGS_KEPT:
                    del self._drawings[next(iter(self._drawings))]
            layout = self._layouts.get(name)
            quick = self._drafts.get(plan.digest)
            mine = False
            if exact.done() or not self.drafts or layout is None or plan.dot is None:
                quick = None
            elif quick is None:
                quick, mine = Future(), True
                self._drafts[plan.digest] = quick
                while len(self._drafts) > DRAWINGS_KEPT:
                    del self._drafts[next(iter(self._drafts))]
        if quick is None or layout is None:
            return self._waited(name, plan, exact)
        if mine:
            try:
                quick.set_result(draft_view(plan, layout))
            except BaseException as err:
                quick.set_exception(err)
                raise
        drawn = quick.result()
        return self._waited(name, plan, exact) if drawn is None else drawn

    def _waited(
        self, name: str, plan: ViewPlan, exact: Future[tuple[dict[str, Any], str | None]]
    ) -> dict[str, Any]:
        """The drawing ``exact`` of ``plan``, waited for. A newer revision gives up a
        drawing not begun; a page that asked for this one still gets it, drawn anew
        without giving up any other."""
        try:
            return exact.result()[0]
        except CancelledError:
            with self.lock:
                again = self._drawings.get(plan.digest)
                if again is None or again.cancelled() or _failed(again):
                    again = self._drawings[plan.digest] = self._draw(name, plan, supersede=False)
            return again.result()[0]

    def _draw(
        self, name: str, plan: ViewPlan, *, supersede: bool = True
    ) -> Future[tuple[dict[str, Any], str | None]]:
        """Start drawing ``plan`` (in :attr:`pool`, else in a thread): the drawing of ``name``
        before it, if not started, is given up (the pages show this one now), unless not
        ``supersede`` (a drawing of an older revision that a page still waits for)."""
        superseded = self._latest.get(name) if supersede else None
        if superseded is not None:
            superseded.cancel()
        try:
            future = (self.pool or _threads()).submit(drawn_laid_out, plan)
        except BrokenExecutor:  # a drawing process died (killed, out of memory): threads now
            self.pool = None
            future = _threads().submit(drawn_laid_out, plan)
        if supersede:
            self._latest[name] = future

        def done(future: Future[tuple[dict[str, Any], str | None]]) -> None:
            if future.cancelled() or future.exception() is not None:
                return
            with self.lock:
                layout = future.result()[1]
                if layout is not None:
                    self._layouts[name] = layout
                drafted = plan.digest in self._drafts
            if drafted and self.on_refined is not None:
                self.on_refined(name)

        future.add_done_callback(done)
        return future

    def view_text(self, name: str) -> str | None:
        """:meth:`view` as JSON text, written once for all the pages that ask."""
        from journeygraph.escape import json_text

        drawn = self.view(name)
        if drawn is None:
            return None
        with self.lock:
            kept = self._view_texts.get(name)
            if kept is None or kept[0] is not drawn:
                kept = self._view_texts[name] = (drawn, json_text(drawn))
            return kept[1]

    def shown_views(self) -> list[str]:
        """The views drawn at the revision before this one: the ones the pages are showing,
        to draw again as soon as the map changes."""
        with self.lock:
            return list(self._shown)

    def _observed(self, view: View) -> dict[str, Any]:
        """What the log adds to ``view``, as ``render --log`` draws it: customers on the flow,
        the comparison's figures on the blueprint, the handoff network and the canvas."""
        if self.flow is None or self.map is None or view is View.MATRIX:
            return {}
        if view is View.CANVAS:
            return {"evidence": self.evidence()}
        evidence = None if view is View.FLOW else self.evidence()
        overlay, work = log_layers(view, self.map, self.flow, evidence=evidence)
        return {"overlay": overlay, "work": work}

    def evidence(self) -> Evidence | None:
        """What the log says of the map at this revision (``None`` without a log or a valid
        map), compared once per revision."""
        with self.lock:
            if self.flow is None or self.map is None:
                return None
            if self._evidence is None:
                from journeygraph.evidence import compare

                self._evidence = compare(self.map, self.flow)
            return self._evidence

    def download(self, name: str) -> tuple[str, bytes] | None:
        """The file ``name`` (one of :data:`~journeygraph.report.downloads.DOWNLOADS`) of the
        map as it stands, with the name to save it as; ``None`` while the map is invalid.

        Made outside the lock: printing a PDF takes seconds, and edits go on meanwhile.
        """
        from journeygraph.report.downloads import download, download_name

        with self.lock:
            if self.map is None:
                return None
            self.state()
            m, result, evidence = self.map, self._result, self.evidence()
        assert result is not None
        return download_name(m.id, name), download(m, result, name, evidence=evidence)

    # --- editing ----------------------------------------------------------------------------

    def prepare(self) -> None:
        """Read the file for editing (ruamel.yaml's round trip of it, a second on a large
        map) and audit it, before the first edit rather than in it."""
        with self.lock:
            if self.read_only is None and self.map is not None and self.document is None:
                self.document = MapText(self.text)
                with contextlib.suppress(MapError):  # an edit says so
                    self.document.prepare()
            self.state_text()

    def apply(self, edit: Edit, *, revision: int, client: str, undo: bool = False) -> Outcome:
        """Make ``edit``, seen by ``client`` at ``revision``, and write the file.

        Refused as a ``conflict`` when what it changes is no longer what the person saw
        (``edit.was``): someone changed it since. An edit made at an old ``revision`` to
        something nobody changed since is made: what the person saw is ``edit.was``,
        and ``revision`` says only when they saw it.
        """
        with self.lock:
            self.refresh()
            if self.read_only is not None:
                return Outcome("read-only", self.revision, [self.read_only])
            if self.map is None:
                return Outcome("invalid", self.revision, self._waiting())
            if edit.kind == RESTORE and not undo:
                return Outcome("invalid", self.revision, ["a restore is only an undo"])
            before = self.text
            try:
                now = (
                    self.digest if edit.kind == RESTORE else current_value(safe_data(before), edit)
                )
            except MapError as err:
                return Outcome("invalid", self.revision, [str(p) for p in err.problems])
            # Compared whatever the revision: a field typed in before a redraw keeps
            # the value it was typed over, and the revision is the one after it.
            if edit.kind not in _UNCHECKED and now != edit.was:
                return Outcome("conflict", self.revision, [], None if edit.kind == RESTORE else now)
            if self.document is None or self.document.text != self.text:
                self.document = MapText(self.text)
            try:
                text = self.document.propose(edit)
                from journeygraph.io.load import loads

                m = loads(text, str(self.path))
                atomic_write(self.path, text)
            except MapError as err:
                self.document.discard()
                return Outcome("invalid", self.revision, [str(p) for p in err.problems])
            except (JourneyGraphError, OSError) as err:
                self.document.discard()
                return Outcome("invalid", self.revision, [f"{shown(self.path)}: {err}"])
            self.document.commit(text)
            self.text = text
            self.digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
            self.stamp = self._stat()
            self._set_map(m)
            stack = self._undo.setdefault(client, [])
            if undo:
                stack.pop()
            else:
                undone = (
                    Edit(RESTORE, ("map",), value=before, was=self.digest)
                    if edit.kind in DELETES
                    else inverse(edit, now)
                )
                stack.append(undone)
                del stack[:-UNDO_DEPTH]
            return Outcome("applied", self.revision)

    def undo(self, *, client: str) -> Outcome:
        """Undo ``client``'s last edit, unless someone changed the same thing since."""
        with self.lock:
            stack = self._undo.get(client)
            if not stack:
                return Outcome("invalid", self.revision, ["nothing of yours to undo"])
            outcome = self.apply(stack[-1], revision=-1, client=client, undo=True)
            if outcome.status == "conflict" or (
                outcome.status == "invalid" and self.map is not None
            ):
                # Someone changed it since, or undoing it would break the map now: theirs
                # stands, and the next undo goes on to the edit before.
                stack.pop()
            return outcome

    def _waiting(self) -> list[str]:
        return [
            f"{shown(self.path.name)} is not a valid map now; edits wait until it is fixed:",
            *self.problems,
        ]
