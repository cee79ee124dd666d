"""One map served to a room: its views drawn once for all the pages, and again only when
what they show changes."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import journeygraph
from journeygraph.render import View
from journeygraph.serve.document import Edit
from journeygraph.serve.session import MapSession
from journeygraph.serve.views import view_svg
from tests.conftest import EXAMPLES


@pytest.fixture
def session(tmp_path: Path) -> MapSession:
    path = tmp_path / "b2b.yaml"
    shutil.copy(EXAMPLES / "b2b-saas.yaml", path)
    return MapSession(path)


@pytest.fixture
def drawings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The titles of the views Graphviz is run for."""
    drawn: list[str] = []
    from journeygraph.serve.views import drawn_laid_out as real

    def counted(plan: Any) -> tuple[dict[str, Any], str | None]:
        drawn.append(plan.title)
        return real(plan)

    monkeypatch.setattr("journeygraph.serve.session.drawn_laid_out", counted)
    return drawn


def raci(session: MapSession, role: str, on: bool) -> None:
    edit = Edit("raci", ("review-sites", "seo", role), value=on, was=not on)
    assert session.apply(edit, revision=session.revision, client="a").status == "applied"


def test_a_view_is_drawn_once_per_revision_whoever_asks(
    session: MapSession, drawings: list[str]
) -> None:
    first = session.view("flow")
    assert session.view("flow") is first
    assert drawings == ["Journey flow"]


def test_pages_asking_at_once_share_one_drawing(session: MapSession, drawings: list[str]) -> None:
    answers: list[Any] = []
    pages = [threading.Thread(target=lambda: answers.append(session.view("flow"))) for _ in "abcd"]
    for page in pages:
        page.start()
    for page in pages:
        page.join()
    assert drawings == ["Journey flow"]
    assert len({a["svg"] for a in answers}) == 1


def test_an_edit_that_changes_a_view_redraws_it_and_one_that_does_not_reuses_it(
    session: MapSession, drawings: list[str]
) -> None:
    matrix = session.view("matrix")
    assert matrix is not None
    raci(session, "I", True)  # an Informed role: on the matrix
    informed = session.view("matrix")
    assert informed is not None
    assert informed["revision"] == matrix["revision"] + 1
    assert informed["svg"] != matrix["svg"]
    assert drawings == ["RACI coverage", "RACI coverage"]
    raci(session, "I", False)  # back to the matrix drawn first: reused, not drawn
    back = session.view("matrix")
    assert back is not None
    assert back["revision"] == informed["revision"] + 1
    assert back["svg"] == matrix["svg"]
    assert drawings == ["RACI coverage", "RACI coverage"]
    raci(session, "A", True)
    m = journeygraph.load(session.path)
    for name in ("matrix", "flow"):  # what is shown is what a fresh drawing gives
        fresh = view_svg(View(name), m, journeygraph.audit(m))
        assert session.view(name) == {"revision": session.revision, **fresh}


def test_the_views_shown_before_an_edit_are_the_ones_drawn_after_it(session: MapSession) -> None:
    session.view("handoffs")
    raci(session, "C", True)
    assert session.shown_views() == ["handoffs"]
    raci(session, "C", False)  # nobody looked at the revision between: still the handoffs
    assert session.shown_views() == ["handoffs"]


def test_a_removal_is_undone_by_the_text_before_it(session: MapSession) -> None:
    before = session.path.read_text(encoding="utf-8")
    removal = Edit("function-delete", ("seo",), was=True)
    assert session.apply(removal, revision=session.revision, client="a").status == "applied"
    assert "seo" not in [f.id for f in journeygraph.load(session.path).functions]
    assert session.undo(client="a").status == "applied"
    assert session.path.read_text(encoding="utf-8") == before


def test_a_removal_is_not_undone_over_someone_elses_edit(session: MapSession) -> None:
    removal = Edit("touchpoint-delete", ("review-sites",), was=True)
    assert session.apply(removal, revision=session.revision, client="a").status == "applied"
    edit = Edit("raci", ("search-ad", "marketing", "C"), value=True, was=False)
    assert session.apply(edit, revision=session.revision, client="b").status == "applied"
    after = session.path.read_text(encoding="utf-8")
    outcome = session.undo(client="a")
    assert outcome.status == "conflict"
    assert outcome.current is None
    assert session.path.read_text(encoding="utf-8") == after


def test_a_restore_is_made_only_as_an_undo(session: MapSession) -> None:
    before = session.path.read_bytes()
    forged = Edit("restore", ("map",), value="journey: {id: x}\n", was=session.digest)
    outcome = session.apply(forged, revision=session.revision, client="a")
    assert outcome.status == "invalid"
    assert session.path.read_bytes() == before


def test_a_view_not_drawn_yet_is_a_draft_on_its_last_layout_until_it_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from journeygraph.render.backend import render
    from journeygraph.report.diagrams import inline_svg
    from journeygraph.serve.views import DRAFT_NOTE, drawn_laid_out, view_plan

    path = tmp_path / "b2b.yaml"
    shutil.copy(EXAMPLES / "b2b-saas.yaml", path)
    pool = ThreadPoolExecutor(2)
    session = MapSession(path, pool=pool, drafts=True)
    refined: list[str] = []
    session.on_refined = refined.append
    first = session.view("flow")  # no layout yet: the drawing itself, waited for
    assert first is not None
    assert "draft" not in first
    release = threading.Event()

    def slow(plan: Any) -> tuple[dict[str, Any], str | None]:
        assert release.wait(60)
        return drawn_laid_out(plan)

    monkeypatch.setattr("journeygraph.serve.session.drawn_laid_out", slow)
    m = journeygraph.load(path)
    old = next(t for t in m.touchpoints if t.id == "search-ad").name
    rename = Edit("touchpoint-set", ("search-ad",), "name", "Paid search ad", was=old)
    assert session.apply(rename, revision=session.revision, client="a").status == "applied"
    quick = session.view("flow")
    assert quick is not None
    assert quick["draft"] is True
    assert quick["revision"] == first["revision"] + 1
    assert quick["note"] == DRAFT_NOTE
    assert "Paid search ad" in quick["svg"]
    assert f">{old}<" not in quick["svg"]
    assert 'id="touchpoint&#45;search&#45;ad"' in quick["svg"]  # findings highlight on it
    assert refined == []
    release.set()
    pool.shutdown(wait=True)
    assert refined == ["flow"]
    exact = session.view("flow")
    assert exact is not None
    assert "draft" not in exact
    m = journeygraph.load(path)
    plan = view_plan(View.FLOW, m, journeygraph.audit(m))
    assert plan.dot is not None
    assert exact["svg"] == inline_svg(render(plan.dot, "svg").decode("utf-8"))  # render's own
    assert exact["revision"] == quick["revision"]


def test_a_page_waiting_for_a_drawing_a_newer_revision_gave_up_still_gets_it(
    tmp_path: Path,
) -> None:
    """A newer revision cancels the drawing of an older one that has not begun; a page
    that asked for the older one is drawn it anew, not answered with an error."""
    from concurrent.futures import ThreadPoolExecutor

    path = tmp_path / "b2b.yaml"
    shutil.copy(EXAMPLES / "b2b-saas.yaml", path)
    pool = ThreadPoolExecutor(1)
    session = MapSession(path, pool=pool)
    release = threading.Event()
    blocker = pool.submit(release.wait, 60)  # the one drawing process is busy
    waited: dict[str, Any] = {}
    asked = threading.Thread(target=lambda: waited.setdefault("old", session.view("flow")))
    asked.start()
    _until(lambda: "flow" in session._latest)  # the old revision's drawing is queued
    m = journeygraph.load(path)
    old = next(t for t in m.touchpoints if t.id == "search-ad").name
    rename = Edit("touchpoint-set", ("search-ad",), "name", "Paid search ad", was=old)
    assert session.apply(rename, revision=session.revision, client="a").status == "applied"
    newer = threading.Thread(target=lambda: waited.setdefault("new", session.view("flow")))
    newer.start()
    _until(lambda: len(session._drawings) == 2)  # the newer one queued, the old given up
    release.set()
    asked.join(60)
    newer.join(60)
    pool.shutdown(wait=True)
    assert blocker.result() is True
    assert waited["old"] is not None
    assert waited["new"] is not None
    # Each page got the flow of the revision it asked for.
    assert "Paid search ad" not in waited["old"]["svg"]
    assert "Paid search ad" in waited["new"]["svg"]


def _until(condition: Callable[[], bool]) -> None:
    """Wait (at most a minute) until ``condition`` holds."""
    import time

    deadline = time.monotonic() + 60
    while not condition():
        assert time.monotonic() < deadline, "waited a minute"
        time.sleep(0.01)
