"""One map served to a room: its text, its revision, its audit, and the edits made to it.

The file is the source of truth. An edit is made to the text
(:mod:`journeygraph.serve.document`), loaded as the CLI loads a map (an invalid
result is refused with the loader's located messages and nothing is written),
then written back atomically. A change made to the file from outside is read on
the next :meth:`MapSession.refresh`.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from journeygraph.audit import audit
from journeygraph.escape import shown
from journeygraph.exceptions import JourneyGraphError, MapError
from journeygraph.io.files import atomic_write
from journeygraph.render import View
from journeygraph.serve.document import Edit, MapText, current_value, inverse
from journeygraph.serve.views import page_state, view_svg

if TYPE_CHECKING:
    from journeygraph.audit import AuditResult
    from journeygraph.evidence.discovery.flow import ObservedFlow
    from journeygraph.model import JourneyMap

__all__ = ["MapSession", "Outcome"]

UNDO_DEPTH: Final = 50
"""How many of one person's edits can be undone."""

_UNCHECKED: Final = frozenset({"touchpoint-add", "function-add", "department-add", "handoff-add"})
"""Edits that add something: nobody else's value is overwritten, the loader refuses duplicates."""


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


def _yaml_data(text: str) -> Any:
    import yaml

    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


class MapSession:
    """A map file served for editing, or read only when it is a workbook or CSV folder.

    Examples
    --------
    >>> session = MapSession(Path("examples/b2b-saas.yaml"))
    >>> session.revision, session.read_only
    (1, None)
    """

    def __init__(self, path: Path, *, flow: ObservedFlow | None = None) -> None:
        self.path = path
        self.flow = flow
        self.revision = 0
        self.text = ""
        self.digest = ""
        self.stamp: tuple[int, int] | None = None
        self.problems: list[str] = []
        self.map: JourneyMap | None = None
        self._state: dict[str, Any] | None = None
        self._result: AuditResult | None = None
        self._views: dict[str, dict[str, Any]] = {}
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
        self.revision += 1
        return True

    def _set_map(self, m: JourneyMap) -> None:
        self.map, self.problems, self._state, self._result, self._views = m, [], None, None, {}
        self.revision += 1

    def state(self) -> dict[str, Any]:
        """What the page shows at this revision, computed once per revision."""
        with self.lock:
            if self._state is None:
                self._state = self._compute()
            return self._state

    def _compute(self) -> dict[str, Any]:
        base: dict[str, Any] = {
            "revision": self.revision,
            "file": self.path.name,
            "read_only": self.read_only,
            "problems": self.problems,
        }
        if self.map is None:
            return base
        self._result = audit(self.map)
        return {**base, **page_state(self.map, self._result)}

    def view(self, name: str) -> dict[str, Any] | None:
        """One view as SVG at this revision (``None`` while the map is invalid), drawn once."""
        with self.lock:
            if self.map is None:
                return None
            if name not in self._views:
                self.state()
                assert self._result is not None
                overlay = None
                if self.flow is not None and name == View.FLOW:
                    overlay = self.flow.overlay([t.id for t in self.map.touchpoints if t.exit])
                drawn = view_svg(View(name), self.map, self._result, overlay=overlay)
                self._views[name] = {"revision": self.revision, **drawn}
            return self._views[name]

    # --- editing ----------------------------------------------------------------------------

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
            data = _yaml_data(self.text)
            try:
                now = current_value(data, edit)
            except MapError as err:
                return Outcome("invalid", self.revision, [str(p) for p in err.problems])
            # Compared whatever the revision: a field typed in before a redraw keeps
            # the value it was typed over, and the revision is the one after it.
            if edit.kind not in _UNCHECKED and now != edit.was:
                return Outcome("conflict", self.revision, [], now)
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
                stack.append(inverse(edit, now))
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
