"""The workshop in a real browser (Debian's Chromium through Playwright): issue 27's list.

Each test starts ``journeygraph serve`` as the command line does, on a free
port, on a copy of a map, and drives one or two pages against it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import EXAMPLES

pytestmark = pytest.mark.browser

XSS = "<img src=x onerror=alert(1)>"


@dataclass
class Served:
    address: str
    map_file: Path
    process: subprocess.Popen[str]


def start(map_file: Path, *options: str) -> Served:
    process = subprocess.Popen(
        [sys.executable, "-m", "journeygraph", "serve", str(map_file), "--port", "0", *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    address = process.stdout.readline().strip()
    if not address.startswith("http://"):
        process.kill()
        _, errors = process.communicate()
        raise AssertionError(f"no address printed: {address!r} {errors!r}")
    return Served(address, map_file, process)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    path = tmp_path / "b2b.yaml"
    shutil.copy(EXAMPLES / "b2b-saas.yaml", path)
    server = start(path)
    try:
        yield server
    finally:
        server.process.terminate()
        server.process.wait(timeout=30)


@pytest.fixture
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    from journeygraph.report.browser import BROWSER_FLAGS, find_browser

    with sync_playwright() as p:
        launched = p.chromium.launch(
            executable_path=find_browser(), args=[f for f in BROWSER_FLAGS if f != "--headless"]
        )
        try:
            yield launched
        finally:
            launched.close()


def open_page(browser: Any, address: str) -> Any:
    page = browser.new_context(viewport={"width": 1500, "height": 1000}).new_page()
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(address)
    page.wait_for_selector("#findings li")
    return page


def revision(page: Any) -> int:
    return int(page.eval_on_selector("body", "b => b.dataset.revision || 0"))


def wait_revision(page: Any, seen: int) -> None:
    # Selectors, not wait_for_function: the page's CSP forbids the eval that would need.
    page.wait_for_selector(f'body[data-revision]:not([data-revision="{seen}"])', timeout=20_000)
    page.wait_for_selector(f'#view-panels .view[data-revision="{revision(page)}"]')


def until(condition: Any) -> None:
    """Wait for ``condition`` (a few seconds at most; a wait, not a measure of speed)."""
    import time

    for _ in range(200):
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError("the page did not get there")


def finding_entities(page: Any, rule: str) -> list[str]:
    return list(
        page.eval_on_selector_all(
            f'#findings li[data-rule="{rule}"]', "items => items.map(i => i.dataset.key)"
        )
    )


def set_role(page: Any, touchpoint: str, function: str, role: str) -> None:
    page.click(f'#raci td[data-touchpoint="{touchpoint}"][data-function="{function}"]')
    page.click(f'#raci-pop button[data-role="{role}"]')


def test_setting_an_owner_in_the_grid_clears_the_finding_and_changes_one_line(
    served: Served, browser: Any
) -> None:
    page = open_page(browser, served.address)
    before = served.map_file.read_text(encoding="utf-8")
    assert "unowned-touchpoint|review-sites" in finding_entities(page, "unowned-touchpoint")
    seen = revision(page)
    set_role(page, "review-sites", "seo", "R")
    wait_revision(page, seen)
    assert "unowned-touchpoint|review-sites" not in finding_entities(page, "unowned-touchpoint")
    cell = '#raci td[data-touchpoint="review-sites"][data-function="seo"]'
    assert page.text_content(cell) == "R"
    old, new = before.splitlines(), served.map_file.read_text(encoding="utf-8").splitlines()
    assert len(new) == len(old) + 1
    added = [line for line in new if line not in old]
    assert added == ["    owners: {R: seo}"]


def test_declaring_a_handoff_closes_the_gap_on_the_flow(served: Served, browser: Any) -> None:
    page = open_page(browser, served.address)
    gap = "handoff-gap|pricing-page|free-trial"
    assert gap in finding_entities(page, "handoff-gap")
    page.click(f'#findings li[data-key="{gap}"]')
    page.wait_for_selector('#view-panels [id="touchpoint-free-trial"].hl')
    flow = page.text_content("#view-panels")
    assert "Web and UX team" in flow
    gaps_drawn = page.eval_on_selector_all(
        "#view-panels a",
        "links => links.filter(a => (a.getAttribute('xlink:title') || '')"
        ".startsWith('handoff gap: Web and UX team → Product manager')).length",
    )
    assert gaps_drawn == 1
    seen = revision(page)
    page.select_option("#ho-from", "web-ux")
    page.select_option("#ho-to", "product-manager")
    page.fill("#ho-sla", "1d")
    page.click("#handoff-form button")
    wait_revision(page, seen)
    assert gap not in finding_entities(page, "handoff-gap")
    page.wait_for_selector(f'#view-panels .view[data-revision="{revision(page)}"]')
    gaps_drawn = page.eval_on_selector_all(
        "#view-panels a",
        "links => links.filter(a => (a.getAttribute('xlink:title') || '')"
        ".startsWith('handoff gap: Web and UX team → Product manager')).length",
    )
    assert gaps_drawn == 0
    assert "{from: web-ux, to: product-manager, sla: 1d}" in served.map_file.read_text("utf-8")


def test_two_pages_see_each_others_edits_and_an_outside_change(
    served: Served, browser: Any
) -> None:
    one, two = open_page(browser, served.address), open_page(browser, served.address)
    seen = revision(two)
    set_role(one, "social-post", "marketing", "A")
    wait_revision(two, seen)
    cell = '#raci td[data-touchpoint="social-post"][data-function="marketing"]'
    assert two.text_content(cell) == "A"
    seen = revision(one)
    text = served.map_file.read_text(encoding="utf-8")
    served.map_file.write_text(text.replace("name: LinkedIn post", "name: Company page"), "utf-8")
    for page in (one, two):
        wait_revision(page, seen)
        assert "Company page" in page.text_content("#raci")


def test_a_conflicting_edit_is_refused_and_the_other_value_shown(
    served: Served, browser: Any
) -> None:
    one, two = open_page(browser, served.address), open_page(browser, served.address)
    for page in (one, two):
        page.select_option("#tp-pick", "search-ad")
    two.fill("#tp-name", "Google ad")  # typing, not yet saved
    seen = revision(two)
    one.fill("#tp-name", "Paid search")
    one.press("#tp-name", "Tab")
    wait_revision(two, seen)
    assert two.input_value("#tp-name") == "Google ad"  # what they type is not overwritten
    two.press("#tp-name", "Tab")
    two.wait_for_selector("#banner:not([hidden])")
    assert "Paid search" in two.text_content("#banner")
    until(lambda: two.input_value("#tp-name") == "Paid search")
    assert "name: Paid search" in served.map_file.read_text(encoding="utf-8")


def test_an_invalid_edit_is_refused_with_its_message(served: Served, browser: Any) -> None:
    page = open_page(browser, served.address)
    before = served.map_file.read_bytes()
    page.select_option("#fn-pick", "seo")
    page.fill("#fn-fte", "0")
    page.press("#fn-fte", "Tab")
    page.wait_for_selector("#banner:not([hidden])")
    message = page.text_content("#banner")
    assert message.startswith(f"{served.map_file}:")
    assert "'fte' must be at least 0.01" in message
    assert served.map_file.read_bytes() == before


def test_markup_in_a_name_shows_as_text_and_runs_nothing(tmp_path: Path, browser: Any) -> None:
    path = tmp_path / "hostile.yaml"
    text = (EXAMPLES / "b2b-saas.yaml").read_text(encoding="utf-8")
    path.write_text(text.replace("name: Search ad", f"name: '{XSS}'"), "utf-8")
    server = start(path)
    try:
        page = open_page(browser, server.address)
        assert XSS in page.text_content("#raci")
        page.select_option("#tp-pick", "search-ad")
        assert page.input_value("#tp-name") == XSS
        assert page.eval_on_selector_all('img[src="x"]', "found => found.length") == 0
        page.wait_for_timeout(500)
        assert page.dialogs == []
    finally:
        server.process.terminate()
        server.process.wait(timeout=30)


def test_a_non_local_address_refuses_a_request_without_the_token(
    tmp_path: Path, browser: Any
) -> None:
    path = tmp_path / "b2b.yaml"
    shutil.copy(EXAMPLES / "b2b-saas.yaml", path)
    server = start(path, "--host", "0.0.0.0")
    try:
        assert "?token=" in server.address
        local = server.address.replace("0.0.0.0", "127.0.0.1")
        page = browser.new_page()
        refused = page.goto(local.split("?")[0])
        assert refused.status == 403
        assert page.goto(local.split("?")[0] + "api/maps/0/state").status == 403
        page = open_page(browser, local)
        assert "unowned-touchpoint|review-sites" in finding_entities(page, "unowned-touchpoint")
    finally:
        server.process.terminate()
        server.process.wait(timeout=30)


def test_the_customer_layer_and_opportunities_are_edited_in_the_page(
    tmp_path: Path, browser: Any
) -> None:
    path = tmp_path / "mortgage.yaml"
    shutil.copy(EXAMPLES / "mortgage.yaml", path)
    server = start(path)
    try:
        page = open_page(browser, server.address)
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        seen = revision(page)
        page.select_option("#op-status", "done")
        wait_revision(page, seen)
        seen = revision(page)
        page.select_option("#ex-touchpoint", "valuation")
        page.select_option("#ex-emotion", "-2")
        wait_revision(page, seen)
        from journeygraph import load

        m = load(path)
        assert m.opportunities[0].status == "done"
        valuation = next(t for t in m.touchpoints if t.id == "valuation")
        assert [e.emotion for e in valuation.experience if e.persona is None] == [-2]
        assert errors == []
    finally:
        server.process.terminate()
        server.process.wait(timeout=30)


def test_the_report_is_downloaded_from_the_page_as_a_pdf(served: Served, browser: Any) -> None:
    from pypdf import PdfReader

    page = open_page(browser, served.address)
    seen = revision(page)
    set_role(page, "review-sites", "seo", "R")
    wait_revision(page, seen)
    with page.expect_download(timeout=120_000) as waited:
        page.click('#downloads a[data-download="report.pdf"]')
    download = waited.value
    assert download.suggested_filename == "b2b-saas-report.pdf"
    saved = served.map_file.parent / "downloaded.pdf"
    download.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(saved).pages).split())
    assert "B2B SaaS purchase journey: journey audit" in text
    assert "Review sites (G2, Capterra)' has no Responsible" not in text


def test_a_chosen_finding_is_highlighted_on_the_journey_canvas(
    served: Served, browser: Any
) -> None:
    page = open_page(browser, served.address)
    page.click('#tabs button[data-view="canvas"]')
    page.wait_for_selector('#view-panels .view[data-view="canvas"] svg')
    gap = "handoff-gap|pricing-page|free-trial"
    page.click(f'#findings li[data-key="{gap}"]')
    page.wait_for_selector('#view-panels [data-ref="touchpoint-free-trial"].hl')
    marked = page.eval_on_selector_all(
        "#view-panels .hl", "nodes => nodes.map(n => n.dataset.ref || n.id)"
    )
    assert set(marked) == {"touchpoint-pricing-page", "touchpoint-free-trial"}
    unowned = next(k for k in finding_entities(page, "unowned-touchpoint"))
    page.click(f'#findings li[data-key="{unowned}"]')  # another finding: its own elements
    touchpoint = unowned.split("|")[1]
    page.wait_for_selector(f'#view-panels [data-ref="touchpoint-{touchpoint}"].hl')
    assert not page.query_selector('#view-panels [data-ref="touchpoint-free-trial"].hl')


def test_the_workshop_works_in_firefox(served: Served) -> None:
    from tests.serve.firefox import Firefox, find_firefox

    executable = find_firefox()
    assert executable is not None, "no Firefox: scripts/setup installs Debian's firefox-esr"
    firefox = Firefox(executable)
    try:
        firefox.open(served.address)
        findings = """() => [...document.querySelectorAll('#findings li[data-rule]')]
            .map(li => li.dataset.key).join('\\n')"""
        until(lambda: "unowned-touchpoint|review-sites" in firefox.run(findings))
        until(lambda: firefox.run("() => !!document.querySelector('#view-panels svg')"))
        before = served.map_file.read_text(encoding="utf-8")
        firefox.run(
            """(touchpoint, fn) => document.querySelector(
                `#raci td[data-touchpoint="${touchpoint}"][data-function="${fn}"]`).click()""",
            "review-sites",
            "seo",
        )
        firefox.run("""() => document.querySelector('#raci-pop button[data-role="R"]').click()""")
        until(lambda: "unowned-touchpoint|review-sites" not in firefox.run(findings))
        cell = """() => document.querySelector(
            '#raci td[data-touchpoint="review-sites"][data-function="seo"]').textContent"""
        assert firefox.run(cell) == "R"
        old, new = before.splitlines(), served.map_file.read_text(encoding="utf-8").splitlines()
        assert [line for line in new if line not in old] == ["    owners: {R: seo}"]
        svg = "() => document.querySelector('#view-panels svg').getAttribute('viewBox') || ''"
        assert firefox.run(svg)  # the view drawn and shown, through the page's own script
    finally:
        firefox.close()
