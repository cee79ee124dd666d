"""The workshop's web app in-process: what it serves, what it refuses, and what an edit does.

The browser tests (test_browser.py) drive the same app through Chromium; these
check each rule of part 6 of issue 27 on the requests themselves.
"""

from __future__ import annotations

import asyncio
import difflib
import html
import re
import shutil
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

with warnings.catch_warnings():  # Starlette 1.x would rather have httpx2; httpx still works
    warnings.simplefilter("ignore", DeprecationWarning)
    from starlette.testclient import TestClient

from journeygraph.serve.app import CSP, MAX_BODY, create_app
from journeygraph.serve.run import workshop
from tests.conftest import EXAMPLES

LOCAL = "http://127.0.0.1:8765"


@pytest.fixture
def map_file(tmp_path: Path) -> Path:
    path = tmp_path / "b2b.yaml"
    shutil.copy(EXAMPLES / "b2b-saas.yaml", path)
    return path


@pytest.fixture
def served(map_file: Path) -> Iterator[tuple[TestClient, Any]]:
    w = workshop([map_file])
    with TestClient(create_app(w), base_url=LOCAL) as client:
        yield client, w


def post(client: TestClient, w: Any, path: str, body: Any, **headers: str) -> Any:
    sent = {"origin": LOCAL, "x-csrf-token": w.csrf, **headers}
    return client.post(f"/api/maps/0/{path}", json=body, headers=sent)


def raci(revision: int, touchpoint: str, function: str, role: str, on: bool) -> dict[str, Any]:
    return {
        "kind": "raci",
        "target": [touchpoint, function, role],
        "value": on,
        "was": not on,
        "revision": revision,
        "client": "a",
    }


def test_the_page_forbids_inline_script_and_holds_none(served: Any) -> None:
    client, w = served
    page = client.get("/")
    assert page.status_code == 200
    assert page.headers["content-security-policy"] == CSP
    assert "script-src 'self'" in CSP
    assert "unsafe-inline" not in CSP
    assert page.headers["x-content-type-options"] == "nosniff"
    assert re.findall(r"<script[^>]*>", page.text) == ['<script src="/static/app.js" defer>']
    assert not re.search(r"\son[a-z]+=", page.text)
    assert w.csrf in page.text


def test_an_edit_is_written_and_the_audit_answers(served: Any, map_file: Path) -> None:
    client, w = served
    before = map_file.read_text(encoding="utf-8")
    state = client.get("/api/maps/0/state").json()
    unowned = [f for f in state["findings"] if f["rule"] == "unowned-touchpoint"]
    assert ["review-sites"] in [f["entities"] for f in unowned]
    answer = post(client, w, "edit", raci(state["revision"], "review-sites", "seo", "R", True))
    assert answer.status_code == 200
    assert answer.json()["revision"] == state["revision"] + 1
    after = map_file.read_text(encoding="utf-8")
    diff = [
        d
        for d in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if d[:1] in "+-" and d[:3] not in ("+++", "---")
    ]
    assert diff == ["+    owners: {R: seo}"]
    state = client.get("/api/maps/0/state").json()
    assert ["review-sites"] not in [
        f["entities"] for f in state["findings"] if f["rule"] == "unowned-touchpoint"
    ]


def test_an_invalid_edit_is_refused_with_its_located_message(served: Any, map_file: Path) -> None:
    client, w = served
    before = map_file.read_bytes()
    body = {
        "kind": "touchpoint-set",
        "target": ["search-ad"],
        "field": "stage",
        "value": "nowhere",
        "was": "awareness",
        "revision": 1,
        "client": "a",
    }
    answer = post(client, w, "edit", body)
    assert answer.status_code == 422
    (problem,) = answer.json()["problems"]
    assert re.match(rf"{re.escape(str(map_file))}:\d+:\d+: unknown stage 'nowhere'", problem)
    assert map_file.read_bytes() == before
    # The refused edit left nothing behind for the next one.
    assert post(client, w, "edit", raci(1, "review-sites", "seo", "R", True)).status_code == 200
    after = map_file.read_text(encoding="utf-8").splitlines()
    assert [line for line in after if line not in before.decode().splitlines()] == [
        "    owners: {R: seo}"
    ]


def test_an_edit_to_something_changed_since_is_refused_with_the_other_value(
    served: Any, map_file: Path
) -> None:
    client, w = served
    rename = {"kind": "touchpoint-set", "target": ["search-ad"], "field": "name"}
    first = {**rename, "value": "Paid search", "was": "Search ad", "revision": 1, "client": "a"}
    assert post(client, w, "edit", first).status_code == 200
    second = {**rename, "value": "Google ad", "was": "Search ad", "revision": 1, "client": "b"}
    answer = post(client, w, "edit", second)
    assert answer.status_code == 409
    assert answer.json()["current"] == "Paid search"
    assert "name: Paid search" in map_file.read_text(encoding="utf-8")
    # An edit seen at an old revision, to something nobody changed since, is made.
    other = {**rename, "target": ["blog-article"], "value": "Blog", "was": "Blog article"}
    assert post(client, w, "edit", {**other, "revision": 1, "client": "b"}).status_code == 200


def test_undo_takes_back_ones_own_last_edit_only(served: Any, map_file: Path) -> None:
    client, w = served
    before = map_file.read_text(encoding="utf-8")
    assert post(client, w, "edit", raci(1, "review-sites", "seo", "R", True)).status_code == 200
    refused = post(client, w, "undo", {"client": "b"})
    assert refused.status_code == 422
    assert refused.json()["problems"] == ["nothing of yours to undo"]
    assert post(client, w, "undo", {"client": "a"}).status_code == 200
    assert map_file.read_text(encoding="utf-8") == before


def test_an_outside_change_is_read_and_an_invalid_one_holds_the_edits(
    served: Any, map_file: Path
) -> None:
    client, w = served
    session = w.sessions[0]
    text = map_file.read_text(encoding="utf-8")
    map_file.write_text(text.replace("name: Search ad", "name: Sponsored result"), "utf-8")
    assert session.refresh()
    names = [t["name"] for t in client.get("/api/maps/0/state").json()["map"]["touchpoints"]]
    assert "Sponsored result" in names
    map_file.write_text(text.replace("stage: awareness", "stage: nowhere", 1), "utf-8")
    assert session.refresh()
    state = client.get("/api/maps/0/state").json()
    assert "map" not in state
    assert re.match(rf"{re.escape(str(map_file))}:\d+:\d+: unknown stage", state["problems"][0])
    answer = post(client, w, "edit", raci(state["revision"], "review-sites", "seo", "R", True))
    assert answer.status_code == 422
    assert "edits wait until it is fixed" in answer.json()["problems"][0]


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({"x-csrf-token": "wrong"}, 403),
        ({"origin": "http://evil.example"}, 403),
        ({"origin": "null"}, 403),
    ],
    ids=["csrf-token", "other-origin", "null-origin"],
)
def test_edits_come_only_from_the_own_page(
    served: Any, map_file: Path, headers: dict[str, str], status: int
) -> None:
    client, w = served
    before = map_file.read_bytes()
    answer = post(client, w, "edit", raci(1, "review-sites", "seo", "R", True), **headers)
    assert answer.status_code == status
    assert map_file.read_bytes() == before


def test_a_body_past_the_limit_is_refused(served: Any) -> None:
    client, w = served
    body = raci(1, "review-sites", "seo", "R", True) | {"padding": "x" * MAX_BODY}
    assert post(client, w, "edit", body).status_code == 413


def test_edits_past_the_rate_are_refused(served: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    client, w = served
    monkeypatch.setattr("journeygraph.serve.app.EDITS_PER_WINDOW", 2)
    codes = [post(client, w, "undo", {"client": "x"}).status_code for _ in range(3)]
    assert codes == [422, 422, 429]


@pytest.mark.parametrize(
    "path",
    [
        "/api/maps/1/state",
        "/api/maps/-1/state",
        "/static/..%2F..%2Fpyproject.toml",
        "/static/index.html",
        "/api/maps/0/views/..%2Fsecret",
        "/b2b.yaml",
    ],
)
def test_nothing_but_the_named_maps_and_the_shipped_assets_is_served(
    served: Any, path: str
) -> None:
    client, _ = served
    assert client.get(path).status_code == 404


def test_a_page_from_another_host_name_reads_nothing(served: Any) -> None:
    client, _ = served
    assert client.get("/api/maps/0/state", headers={"host": "evil.example:8765"}).status_code == 421


def test_a_non_local_address_requires_the_token_on_every_request(map_file: Path) -> None:
    w = workshop([map_file], host="0.0.0.0")
    assert w.token is not None
    assert w.address.endswith(f"?token={w.token}")
    base = "http://192.0.2.7:8765"
    with TestClient(create_app(w), base_url=base) as client:
        assert client.get("/").status_code == 403
        assert client.get("/api/maps/0/state").status_code == 403
        assert client.get("/api/maps/0/events").status_code == 403
        assert client.get("/?token=wrong").status_code == 403
        page = client.get(f"/?token={w.token}")
        assert page.status_code == 200
        assert "journeygraph_token" in page.headers["set-cookie"]
        assert "HttpOnly" in page.headers["set-cookie"]
        assert client.get("/api/maps/0/state").status_code == 200  # the cookie carries it


def test_a_workbook_is_served_read_only_with_the_reason(tmp_path: Path) -> None:
    from journeygraph import load
    from journeygraph.io.any import save_any

    book = save_any(load(EXAMPLES / "b2b-saas.yaml"), tmp_path / "b2b.xlsx")
    before = book.read_bytes()
    w = workshop([book])
    with TestClient(create_app(w), base_url=LOCAL) as client:
        state = client.get("/api/maps/0/state").json()
        assert "journeygraph import" in state["read_only"]
        answer = post(client, w, "edit", raci(1, "review-sites", "seo", "R", True))
        assert answer.status_code == 403
        assert "read-only" in answer.json()["problems"][0]
    assert book.read_bytes() == before


def test_the_scorecard_shown_counts_what_the_file_holds(served: Any, map_file: Path) -> None:
    client, _ = served
    card = client.get("/api/maps/0/state").json()["scorecard"]
    raw = yaml.safe_load(map_file.read_text(encoding="utf-8"))
    owners = [t.get("owners") or {} for t in raw["touchpoints"]]
    assert card["touchpoints"] == len(raw["touchpoints"])
    assert card["with_responsible"] == sum(1 for o in owners if o.get("R"))
    assert card["with_accountable"] == sum(1 for o in owners if o.get("A"))
    assert card["declared_handoffs"] == len({(h["from"], h["to"]) for h in raw["handoffs"]})


def test_each_view_is_svg_with_the_elements_a_finding_highlights(served: Any) -> None:
    client, _ = served
    state = client.get("/api/maps/0/state").json()
    flow = client.get("/api/maps/0/views/flow").json()
    assert flow["revision"] == state["revision"]
    assert flow["svg"].startswith("<svg")
    finding = next(f for f in state["findings"] if f["rule"] == "unowned-touchpoint")
    # Graphviz writes '-' in an id as '&#45;'; the browser reads the id as the text.
    assert f'id="{finding["highlight"][0]}"' in html.unescape(flow["svg"])


def test_the_event_streams_of_a_map_are_bounded(served: Any) -> None:
    from journeygraph.serve.app import MAX_STREAMS

    client, w = served
    w.listeners[0].extend(asyncio.Queue() for _ in range(MAX_STREAMS))
    assert client.get("/api/maps/0/events").status_code == 503


def test_with_a_log_the_flow_draws_what_customers_did(tmp_path: Path) -> None:
    from journeygraph import load
    from journeygraph.cli.common import observe
    from journeygraph.evidence.reading.names import names_of

    path = tmp_path / "helpdesk.yaml"
    shutil.copy(EXAMPLES / "helpdesk.yaml", path)
    flow = observe(EXAMPLES / "helpdesk.xes.gz", names=names_of(load(path)), warn=False)
    with TestClient(create_app(workshop([path])), base_url=LOCAL) as plain:
        without = plain.get("/api/maps/0/views/flow").json()["svg"]
    with TestClient(create_app(workshop([path], flow=flow)), base_url=LOCAL) as client:
        drawn = client.get("/api/maps/0/views/flow").json()["svg"]
    customers = f"{flow.cases:,} customers"
    assert customers not in html.unescape(without)
    assert customers in html.unescape(drawn)


def test_a_map_that_is_not_there_is_refused_before_anything_listens(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from journeygraph.cli.app import app

    missing = tmp_path / "nothere.yaml"
    result = CliRunner().invoke(app, ["serve", str(missing), "--port", "0"])
    assert result.exit_code == 2
    assert f"{missing}: no such file; check the path" in result.output


def test_a_port_in_use_is_said_in_one_line(map_file: Path) -> None:
    import socket

    from typer.testing import CliRunner

    from journeygraph.cli.app import app

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(app, ["serve", str(map_file), "--port", str(port)])
    assert result.exit_code == 2
    assert f"cannot listen on 127.0.0.1:{port}" in result.output
    assert "Traceback" not in result.output


def test_an_address_not_of_this_machine_is_said_to_be_the_host(map_file: Path) -> None:
    """A --host this machine cannot listen on is not a port's fault: the message says
    to check --host (it said to choose another --port)."""
    from typer.testing import CliRunner

    from journeygraph.cli.app import app

    result = CliRunner().invoke(
        app, ["serve", str(map_file), "--host", "203.0.113.7", "--port", "0"]
    )
    assert result.exit_code == 2
    assert "cannot listen on 203.0.113.7:0" in result.output
    assert "check --host" in result.output
    assert "choose another --port" not in result.output
    assert "Traceback" not in result.output


def test_the_action_plan_downloaded_is_what_the_actions_command_writes(
    served: Any, map_file: Path, tmp_path: Path
) -> None:
    from openpyxl import load_workbook
    from typer.testing import CliRunner

    from journeygraph.cli.app import app

    client, w = served
    state = client.get("/api/maps/0/state").json()
    owned = raci(state["revision"], "review-sites", "seo", "R", True)
    assert post(client, w, "edit", owned).is_success
    for suffix in ("csv", "xlsx"):
        written = tmp_path / f"plan.{suffix}"
        result = CliRunner().invoke(app, ["actions", str(map_file), "-o", str(written)])
        assert result.exit_code == 0, result.output
        got = client.get(f"/api/maps/0/downloads/actions.{suffix}")
        assert got.status_code == 200
        assert got.headers["content-disposition"] == (
            f'attachment; filename="b2b-saas-actions.{suffix}"'
        )
        if suffix == "csv":
            assert got.headers["content-type"] == "text/csv; charset=utf-8"
            assert got.content == written.read_bytes()
            assert "review-sites" not in got.text  # the edit is in the plan
            continue
        downloaded = tmp_path / "downloaded.xlsx"
        downloaded.write_bytes(got.content)
        sheets = [load_workbook(p).active for p in (written, downloaded)]
        rows = [[[c.value for c in row] for row in s.iter_rows()] for s in sheets if s]
        assert len(rows[0]) > 1
        assert rows[0] == rows[1]


def test_the_report_downloaded_holds_the_findings_of_the_map_as_it_stands(served: Any) -> None:
    client, w = served
    state = client.get("/api/maps/0/state").json()
    (unowned,) = [
        f["message"]
        for f in state["findings"]
        if f["rule"] == "unowned-touchpoint" and f["entities"] == ["review-sites"]
    ]
    before = client.get("/api/maps/0/downloads/report.html")
    assert before.headers["content-type"] == "text/html; charset=utf-8"
    assert unowned in html.unescape(before.text)
    owned = raci(state["revision"], "review-sites", "seo", "R", True)
    assert post(client, w, "edit", owned).is_success
    after = html.unescape(client.get("/api/maps/0/downloads/report.html").text)
    assert unowned not in after
    for finding in client.get("/api/maps/0/state").json()["findings"][:5]:
        assert finding["message"] in after


def test_the_slides_downloaded_are_the_reports(served: Any) -> None:
    import io

    from pptx import Presentation

    client, _ = served
    got = client.get("/api/maps/0/downloads/slides.pptx")
    assert got.status_code == 200
    assert got.headers["content-disposition"] == 'attachment; filename="b2b-saas-slides.pptx"'
    deck = Presentation(io.BytesIO(got.content))
    texts = [s.text_frame.text for slide in deck.slides for s in slide.shapes if s.has_text_frame]
    assert any("B2B" in t for t in texts)


def test_a_download_is_named_safely_and_only_the_known_ones_are_served(tmp_path: Path) -> None:
    path = tmp_path / "hostile.yaml"
    text = (EXAMPLES / "b2b-saas.yaml").read_text(encoding="utf-8")
    hostile = '../x\\"; a=b <img src=x onerror=alert(1)>'
    path.write_text(text.replace("id: b2b-saas", f'id: "{hostile}"', 1), encoding="utf-8")
    with TestClient(create_app(workshop([path])), base_url=LOCAL) as client:
        got = client.get("/api/maps/0/downloads/actions.csv")
        assert got.status_code == 200
        assert got.headers["content-disposition"] == (
            'attachment; filename="x-a-b-img-src-x-onerror-alert-1-actions.csv"'
        )
        for name in ("report.md", "..%2Fb2b.yaml", "actions.json"):
            assert client.get(f"/api/maps/0/downloads/{name}").status_code == 404
        assert client.get("/api/maps/1/downloads/actions.csv").status_code == 404


def test_a_download_needs_the_token_and_a_valid_map(map_file: Path) -> None:
    w = workshop([map_file], host="0.0.0.0")
    with TestClient(create_app(w), base_url="http://192.0.2.7:8765") as client:
        assert client.get("/api/maps/0/downloads/actions.csv").status_code == 403
        wrong = client.get("/api/maps/0/downloads/actions.csv?token=wrong")
        assert wrong.status_code == 403
        assert client.get(f"/?token={w.token}").status_code == 200
        assert client.get("/api/maps/0/downloads/actions.csv").status_code == 200
        map_file.write_text("journey: {id: [\n", encoding="utf-8")
        w.sessions[0].refresh()
        assert client.get("/api/maps/0/downloads/actions.csv").status_code == 409


@pytest.mark.parametrize("view", ["handoffs", "blueprint"])
def test_with_a_log_the_organisational_views_are_as_render_draws_them(
    tmp_path: Path, view: str
) -> None:
    from typer.testing import CliRunner

    from journeygraph import load
    from journeygraph.cli.app import app
    from journeygraph.cli.common import observe
    from journeygraph.evidence.reading.names import names_of
    from journeygraph.report.diagrams import inline_svg

    path = tmp_path / "helpdesk.yaml"
    shutil.copy(EXAMPLES / "helpdesk.yaml", path)
    log = EXAMPLES / "helpdesk.xes.gz"
    flow = observe(log, names=names_of(load(path)), warn=False)
    with TestClient(create_app(workshop([path])), base_url=LOCAL) as plain:
        without = plain.get(f"/api/maps/0/views/{view}").json()["svg"]
    with TestClient(create_app(workshop([path], flow=flow)), base_url=LOCAL) as client:
        drawn = client.get(f"/api/maps/0/views/{view}").json()["svg"]
    rendered = tmp_path / f"{view}.svg"
    args = ["render", str(path), "--view", view, "--log", str(log), "-o", str(rendered)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert drawn == inline_svg(rendered.read_text(encoding="utf-8"))
    assert drawn != without


def test_one_file_named_twice_is_one_session(map_file: Path) -> None:
    link = map_file.parent / "link.yaml"
    link.symlink_to(map_file)
    spelled = map_file.parent / "." / map_file.name
    w = workshop([map_file, spelled, link, map_file])
    assert [s.path for s in w.sessions] == [map_file]
    with TestClient(create_app(w), base_url=LOCAL) as client:
        assert client.get("/api/maps").json() == [{"index": 0, "file": "b2b.yaml"}]
        assert client.get("/api/maps/1/state").status_code == 404


@pytest.mark.parametrize("with_log", [False, True], ids=["map", "log"])
def test_the_canvas_is_the_one_render_draws(tmp_path: Path, with_log: bool) -> None:
    from typer.testing import CliRunner

    from journeygraph import load
    from journeygraph.cli.app import app
    from journeygraph.cli.common import observe
    from journeygraph.evidence.reading.names import names_of

    path = tmp_path / "helpdesk.yaml"
    shutil.copy(EXAMPLES / "helpdesk.yaml", path)
    log = EXAMPLES / "helpdesk.xes.gz"
    flow = observe(log, names=names_of(load(path)), warn=False) if with_log else None
    with TestClient(create_app(workshop([path], flow=flow)), base_url=LOCAL) as client:
        assert client.get("/api/maps/0/state").json()["views"]["canvas"] == "Journey canvas"
        drawn = client.get("/api/maps/0/views/canvas").json()
    rendered = tmp_path / "canvas.svg"
    args = ["render", str(path), "--view", "canvas", "-o", str(rendered)]
    result = CliRunner().invoke(app, args + (["--log", str(log)] if with_log else []))
    assert result.exit_code == 0, result.output
    assert drawn["title"] == "Journey canvas"
    assert drawn["svg"] == rendered.read_text(encoding="utf-8")


def test_the_view_pages_were_showing_is_drawn_when_an_edit_lands(served: Any) -> None:
    import time

    client, w = served
    session = w.sessions[0]
    state = client.get("/api/maps/0/state").json()
    client.get("/api/maps/0/views/matrix")
    informed = raci(state["revision"], "review-sites", "seo", "I", True)
    assert post(client, w, "edit", informed).is_success
    for _ in range(600):  # drawn without a page asking (a wait, not a measure of speed)
        pending = session._given.get("matrix")
        if pending is not None and pending[1]["revision"] == state["revision"] + 1:
            break
        time.sleep(0.05)
    drawn = session._given["matrix"][1]
    assert drawn["revision"] == state["revision"] + 1
    assert "flow" not in session._views  # nobody was showing it
    assert client.get("/api/maps/0/views/matrix").json() == drawn


def test_a_view_drawn_in_place_of_its_draft_is_announced_on_the_event_stream(
    served: Any,
) -> None:
    client, w = served
    session = w.sessions[0]
    assert session.on_refined is not None  # set when the app starts
    lines = []
    with client.stream("GET", "/api/maps/0/events") as response:
        for line in response.iter_lines():
            lines.append(line)
            if line == f"data: {session.revision}":
                # As the drawing process's callback does, from another thread.
                session.on_refined("flow")
                session.on_refined("canvas")
            if line == "data: canvas":
                break
    assert lines == [
        "event: revision",
        f"data: {session.revision}",
        "",
        "event: drawn",
        "data: flow",
        "",
        "event: drawn",
        "data: canvas",
    ]


def _children(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[1] == str(pid):
            found.add(int(stat.parent.name))
    return found


def test_the_drawing_processes_end_with_the_server(map_file: Path) -> None:
    import http.client
    import subprocess
    import sys
    import time

    server = subprocess.Popen(
        [sys.executable, "-m", "journeygraph", "serve", str(map_file), "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        found = re.match(r"http://([^:/]+):(\d+)/", server.stdout.readline())
        assert found is not None
        # It listens once it has printed its address: no refusal, however busy the machine.
        connection = http.client.HTTPConnection(found[1], int(found[2]), timeout=120)
        connection.request("GET", "/api/maps/0/views/flow")  # drawn in the pool
        assert connection.getresponse().status == 200
        connection.close()
        drawing = _children(server.pid)
        assert drawing  # the pool's processes (and multiprocessing's resource tracker)
    finally:
        server.terminate()  # uvicorn ends by this signal: no clean-up runs after it
        server.wait(timeout=30)
    alive = drawing
    for _ in range(300):  # they notice within a second or so (a wait, not a measure)
        alive = {pid for pid in drawing if _cmdline(pid)}  # a zombie has no command line
        if not alive:
            break
        time.sleep(0.1)
    assert not alive, f"drawing processes left running: {sorted(alive)}"


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode("utf-8", "replace")
    except OSError:
        return ""
