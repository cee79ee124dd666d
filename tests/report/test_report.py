"""The client report: HTML, Markdown, PDF, portfolio; and the page in a real browser."""

from __future__ import annotations

import re
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import journeygraph
from journeygraph.cli import ExitCode, app
from journeygraph.escape import markdown as md
from journeygraph.report.html_report import html_report
from journeygraph.report.markdown_report import markdown_report
from journeygraph.report.scorecard import scorecard
from journeygraph.report.view import build_report
from tests.conftest import EXAMPLES, ROOT
from tests.render.test_diagrams import _hostile_map

B2B = EXAMPLES / "b2b-saas.yaml"
HEALTH = EXAMPLES / "healthcare-outpatient.yaml"
runner = CliRunner()


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _tags(page: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(page)
    return parser.tags


def test_scorecard_of_the_example() -> None:
    m = journeygraph.load(B2B)
    card = scorecard(m, journeygraph.audit(m))
    assert (card.touchpoints, card.with_responsible, card.with_accountable) == (29, 27, 27)
    # The flywheel edge case study -> blog article no longer hides the sales regressions.
    assert card.loops == {"regression": 1, "intra-stage": 1}
    assert card.uncovered_stages == []
    assert card.unused_handoffs == 1
    assert card.covered_changes + 7 == card.changes_of_hands  # six gaps and one waived


@pytest.mark.graphviz
def test_user_text_never_becomes_markup_in_html() -> None:
    m = _hostile_map()
    page = html_report(build_report([m], [journeygraph.audit(m)]))
    scripts = [t for t, _ in _tags(page) if t == "script"]
    assert scripts == ["script"]  # the report's own filter script only
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def _diagrams(m: journeygraph.JourneyMap) -> int:
    """The report's diagrams of ``m``: the flow in rows (with its legend apart when
    there are several), the blueprint in bands, the handoff network and its legend, and
    the matrix."""
    from journeygraph.render import flow_rows
    from journeygraph.render.blueprint import blueprint_bands

    G = m.to_networkx()
    rows = len(flow_rows(G, journeygraph.audit(m)))
    return rows + (rows > 1) + len(blueprint_bands(G)) + 2 + 1


@pytest.mark.graphviz
def test_html_is_self_contained() -> None:
    m = journeygraph.load(B2B)
    page = html_report(build_report([m], [journeygraph.audit(m)]))
    for tag, attrs in _tags(page):
        for name in ("src", "href", "xlink:href"):
            value = attrs.get(name) or ""
            assert not re.match(r"(https?:)?//", value), (tag, name, value)
    # Flow, handoffs and matrix, and the blueprint in as many parts as it prints on,
    # each with its key; the journey canvas (one page for 5 stages); and the handoff
    # network's legend again in the appendix, where print shows it once.
    assert page.count("<svg") == _diagrams(m) + 1 + 1
    assert page.count('class="diagram journey-canvas"') == 1
    full = html_report(build_report([m], [journeygraph.audit(m)], full=True))
    assert full.count("<svg") == _diagrams(m)
    assert "<?xml" not in page


@pytest.mark.graphviz
def test_markdown_report_points_at_the_svgs_it_writes(tmp_path: Path) -> None:
    code = runner.invoke(app, ["report", str(B2B), "-o", str(tmp_path)]).exit_code
    assert code == ExitCode.OK
    text = (tmp_path / "report.md").read_text(encoding="utf-8")
    images = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text)
    # The diagrams and the journey canvas (one page for 5 stages).
    assert len(images) == _diagrams(journeygraph.load(B2B)) + 1
    assert "b2b-saas-canvas.svg" in images
    assert len(set(images)) == len(images)
    for image in images:
        assert (tmp_path / image).read_text(encoding="utf-8").startswith("<svg")
    assert "## Findings" in text
    assert "### Handoff gap (6)" in text


def test_markdown_escapes_user_text() -> None:
    assert md("**bold** <img src=x> [a](b)|c") == (
        "\\*\\*bold\\*\\* &lt;img src=x&gt; \\[a\\]\\(b\\)\\|c"
    )


@pytest.mark.graphviz
def test_portfolio_of_two_journeys() -> None:
    maps = [journeygraph.load(B2B), journeygraph.load(HEALTH)]
    report = build_report(maps, [journeygraph.audit(m) for m in maps])
    assert report.portfolio is not None

    # Shared: the names (normalised) both journeys hold, counted from the maps.
    def named(m: journeygraph.JourneyMap) -> dict[str, str]:
        return {" ".join(f.label.casefold().split()): f.id for f in m.functions}

    both = sorted(set(named(maps[0])) & set(named(maps[1])))
    assert sorted(s.function for s in report.portfolio.shared) == both
    shared = report.portfolio.shared[0]
    for m in maps:
        fid = named(m)[shared.function]
        assert shared.responsible[m.id] == sum(fid in t.owners.responsible for t in m.touchpoints)
        assert shared.accountable[m.id] == sum(fid in t.owners.accountable for t in m.touchpoints)
    page = html_report(report)
    assert 'id="portfolio"' in page
    assert "Portfolio of 2 journeys" in markdown_report(report)


@pytest.mark.browser
def test_pdf(tmp_path: Path) -> None:
    result = runner.invoke(app, ["report", str(B2B), "-o", str(tmp_path), "--pdf"])
    assert result.exit_code == ExitCode.OK, result.stderr
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF")


@pytest.mark.browser
def test_report_in_a_real_browser(tmp_path: Path, browser_page: Any) -> None:
    maps = [journeygraph.load(B2B), journeygraph.load(HEALTH)]
    code = runner.invoke(app, ["report", str(B2B), str(HEALTH), "-o", str(tmp_path)]).exit_code
    assert code == ExitCode.OK
    page, console, requests = browser_page
    page.goto((tmp_path / "report.html").as_uri())
    page.wait_for_load_state("load")
    assert [m for m in console if m.type == "error"] == []
    assert all(url.startswith(("file:", "data:")) for url in requests), requests
    # The legends the appendix prints once are for paper: the screen shows each at its
    # diagram. Each journey's canvas is one page (5 stages each).
    boxes = page.eval_on_selector_all(
        ".diagram svg",
        "els => els.filter(e => !e.closest('.legends'))"
        ".map(e => [e.getBoundingClientRect().width, e.getBoundingClientRect().height])",
    )
    assert len(boxes) == sum(_diagrams(m) for m in maps) + len(maps)
    assert all(w > 0 and h > 0 for w, h in boxes)

    def visible(selector: str) -> int:
        return int(
            page.eval_on_selector_all(
                selector, "els => els.filter(e => !e.hidden && !e.closest('[hidden]')).length"
            )
        )

    total = visible("tr.finding")
    high = visible('tr.finding[data-severity="high"]')
    assert high > 0
    page.uncheck('input[name=severity][value="high"]')
    assert visible('tr.finding[data-severity="high"]') == 0
    assert visible("tr.finding") == total - high
    assert page.inner_text("#shown-count") == str(total - high)
    page.check('input[name=severity][value="high"]')
    page.select_option("#rule-filter", "dead-end")
    assert visible("tr.finding") == visible('tr.finding[data-rule="dead-end"]') == 1
    out = ROOT / "test-output"
    out.mkdir(exist_ok=True)
    page.select_option("#rule-filter", "")
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(out / "report.png"), full_page=False)
    assert (out / "report.png").stat().st_size > 10_000


@pytest.mark.graphviz
def test_notebook_display() -> None:
    from journeygraph.render import notebook_svg

    m = _hostile_map()
    svg = notebook_svg(m)
    assert svg is not None
    assert "<svg" in svg
    table = journeygraph.audit(m)._repr_html_()
    assert "&lt;script&gt;" in table
    assert "<script>" not in table


@pytest.mark.graphviz
def test_importing_journeygraph_in_a_notebook_shows_maps_as_their_flow(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # IPython's display formatter is the boundary: a stand-in records what is registered.
    import types

    registered: list[tuple[str, str, object]] = []

    class Formats:
        def for_type_by_name(self, module: str, name: str, show: object) -> None:
            registered.append((module, name, show))

    shell = types.SimpleNamespace(
        display_formatter=types.SimpleNamespace(formats={"image/svg+xml": Formats()})
    )
    monkeypatch.setitem(sys.modules, "IPython", types.SimpleNamespace(get_ipython=lambda: shell))
    journeygraph._show_maps_in_notebooks()
    assert [(module, name) for module, name, _ in registered] == [
        ("journeygraph.model", "JourneyMap"),
    ]
    show = registered[0][2]
    assert callable(show)
    svg = show(_hostile_map())
    assert svg is not None
    assert "<svg" in svg


def _png(width: int, height: int) -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("1", (width, height)).save(out, format="PNG")
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("text.png", b"just some text\n", "not a PNG, JPEG or SVG image"),
        ("drawing.jpg", b'<svg xmlns="http://www.w3.org/2000/svg"/>', None),
        ("noise.png", bytes(range(256)) * 40, "not a PNG, JPEG or SVG image"),
        ("cut.png", b"\x89PNG\r\n\x1a\n\x00\x00", "a damaged image"),
        ("huge.png", "HUGE", "a logo of more than 25,000,000 pixels"),
        ("wide.png", "WIDE", "a logo of more than 25,000,000 pixels"),
        ("big.svg", "BIG", "bytes, over the 5,242,880 the report embeds"),
        (
            "entity.svg",
            b'<!DOCTYPE s [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg>&x;</svg>',
            None,
        ),
    ],
)
def test_a_logo_is_checked_by_its_content(
    name: str, content: bytes | str, expected: str | None, tmp_path: Path
) -> None:
    logo = tmp_path / name
    if content == "HUGE":
        content = _png(30_000, 30_000)  # a 1-bit image: small file, a bomb once decoded
    elif content == "WIDE":
        content = _png(6_000, 5_000)  # under Pillow's own bomb limit, over ours
    elif content == "BIG":
        content = b'<svg xmlns="http://www.w3.org/2000/svg"><!--' + b"x" * 6_000_000 + b"--></svg>"
    assert isinstance(content, bytes)
    logo.write_bytes(content)
    out = tmp_path / "r"
    result = runner.invoke(
        app, ["report", str(EXAMPLES / "b2b-saas.yaml"), "--logo", str(logo), "-o", str(out)]
    )
    if expected is None:  # an SVG under another name is still an SVG
        assert result.exit_code == ExitCode.OK, result.stderr
        html = (out / "report.html").read_text(encoding="utf-8")
        assert "data:image/svg+xml;base64," in html
        assert "root:" not in html
    else:
        assert result.exit_code == ExitCode.ERROR
        assert f"{logo}: " in result.stderr
        assert expected in result.stderr.replace("\n", " ")
        assert not out.exists()


def test_a_png_logo_is_embedded(tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    logo.write_bytes(_png(120, 40))
    out = tmp_path / "r"
    result = runner.invoke(
        app, ["report", str(EXAMPLES / "b2b-saas.yaml"), "--logo", str(logo), "-o", str(out)]
    )
    assert result.exit_code == ExitCode.OK, result.stderr
    assert "data:image/png;base64," in (out / "report.html").read_text(encoding="utf-8")


def test_before_of_another_journey_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "r"
    args = ["report", str(EXAMPLES / "b2b-saas.yaml"), "-o", str(out)]
    other = sorted(p for p in EXAMPLES.glob("*.yaml") if p.name != "b2b-saas.yaml")[0]
    result = runner.invoke(app, [*args, "--before", str(other)])
    assert result.exit_code == ExitCode.ERROR
    assert f"--before {other} holds journey" in result.stderr
    assert "which is not among the maps reported ('b2b-saas')" in result.stderr.replace("\n", " ")
    assert not out.exists()
    twice = ["--before", str(EXAMPLES / "b2b-saas.yaml")] * 2
    result = runner.invoke(app, [*args, *twice])
    assert result.exit_code == ExitCode.ERROR
    assert "--before gives journey 'b2b-saas' twice" in result.stderr


@pytest.mark.graphviz
def test_one_count_in_the_terminal_and_the_scorecard(tmp_path: Path) -> None:
    """After `report --log`, the terminal's summary and the report's scorecard give the
    same counts, labelled the same, each counted here from the JSON of `audit` and of
    `discover --map`."""
    import json
    from collections import Counter

    b2b, log = str(EXAMPLES / "b2b-saas.yaml"), str(EXAMPLES / "b2b-saas-events.csv")
    audited = json.loads(
        runner.invoke(app, ["audit", b2b, "-f", "json", "--fail-on", "never"]).stdout
    )
    in_map = Counter(f["severity"] for f in audited["findings"])
    found = json.loads(
        runner.invoke(
            app, ["discover", log, "--map", b2b, "-f", "json", "--fail-on", "never"]
        ).stdout
    )
    in_log = Counter(f["severity"] for f in found["conformance"])
    result = runner.invoke(app, ["report", b2b, "--log", log, "-o", str(tmp_path / "r")])
    assert result.exit_code == ExitCode.OK, result.stderr
    order = ["critical", "high", "medium", "low", "info"]
    expected = [f"{in_map[s]} {s} in the map" for s in order if in_map[s]] + [
        f"{in_log[s]} {s} in the log" for s in order if in_log[s]
    ]
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith(", ".join(expected) + " (")
    text = (tmp_path / "r" / "report.md").read_text(encoding="utf-8")
    for s in order[1:]:
        assert f"| Findings, {s} in the map | {in_map[s]} |" in text
        assert f"| Findings, {s} in the log | {in_log[s]} |" in text


def test_portfolio_matches_functions_by_name_and_tells_journeys_apart() -> None:
    from journeygraph.testing import fragment

    one = fragment(
        """
stages: [{id: s}]
functions: [{id: adviser, name: Mortgage adviser}, {id: ops, name: Operations}]
touchpoints:
  - {id: a, stage: s, next: [b], owners: {R: adviser, A: adviser}}
  - {id: b, stage: s, exit: true, owners: {R: ops, A: adviser}}
""",
        "one.yaml",
    )
    two = fragment(
        """
stages: [{id: s}]
functions: [{id: ma, name: "Mortgage  ADVISER"}, {id: ops, name: Underwriting}]
touchpoints:
  - {id: a, stage: s, exit: true, owners: {R: ma, A: ops}}
""",
        "two.yaml",
    )
    two = two.model_copy(update={"journey": two.journey.model_copy(update={"id": "two"})})
    view = build_report([one, two], [journeygraph.audit(one), journeygraph.audit(two)]).portfolio
    assert view is not None
    # One row for the adviser (ids differ, names match); none for 'ops' (one id, two names).
    (adviser,) = view.shared
    assert adviser.name == "Mortgage adviser"
    assert adviser.matched == "by name"
    assert adviser.ids == {one.id: "adviser", "two": "ma"}
    assert (adviser.responsible, adviser.accountable) == (
        {one.id: 1, "two": 1},
        {one.id: 2, "two": 0},
    )
    assert adviser.cell(one.id) == "R 1 · A 2"
    # Both journeys have the same name: each is shown with its id.
    assert [name for _, name in view.journeys] == [
        f"{one.journey.label} ({one.id})",
        f"{two.journey.label} (two)",
    ]


@pytest.mark.graphviz
def test_one_colour_per_raci_letter_in_every_matrix(tmp_path: Path) -> None:
    """The HTML matrices and the drawn coverage matrix colour a cell holding only A (or
    only C, or only I) alike."""
    from journeygraph.render import View, diagram

    m = journeygraph.load(B2B)
    page = html_report(build_report([m], [journeygraph.audit(m)]))
    css = dict(re.findall(r"\.matrix td\.([RACI]) \{ background:(#[0-9a-f]{6})", page))
    source = diagram(View.MATRIX, m).dot.source
    drawn: dict[str, set[str]] = {}
    for colour, text in re.findall(
        r'<td bgcolor="(#[0-9a-f]{6})"><font color="[^"]+">([^<]*)<', source
    ):
        if text in ("A", "C", "I", "AC", "AI", "CI"):
            drawn.setdefault(text[0], set()).add(colour)
    assert drawn, source[:500]
    for letter, colours in drawn.items():
        assert colours == {css[letter]}, letter


def test_a_portfolio_refuses_two_maps_of_one_journey(tmp_path: Path) -> None:
    twin = tmp_path / "copy.yaml"
    twin.write_bytes(B2B.read_bytes())
    result = runner.invoke(app, ["report", str(B2B), str(twin), "-o", str(tmp_path / "r")])
    assert result.exit_code == ExitCode.ERROR
    assert "both hold journey 'b2b-saas'" in result.stderr
    assert not (tmp_path / "r").exists()


def test_past_the_printed_rows_the_pdf_counts_what_the_html_lists(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import journeygraph.report.html_report as html_module
    from journeygraph.report.view import PRINTED_ROWS

    m = journeygraph.load(EXAMPLES / "b2b-saas.yaml")
    result = journeygraph.audit(m)
    report = build_report([m], [result])
    # At the shipped bound every row of the examples prints.
    page = html_report(report)
    assert "screen-only" not in "".join(re.findall(r"<tr[^>]*>", page))
    assert "the HTML report lists every one" not in page
    monkeypatch.setattr(html_module, "PRINTED_ROWS", 2)
    page = html_report(report)
    by_rule: dict[str, int] = {}
    for finding in result.findings:
        by_rule[finding.rule] = by_rule.get(finding.rule, 0) + 1
    for rule, n in by_rule.items():
        rows = re.findall(
            rf'<tr class="finding([^"]*)" data-severity="[^"]*" data-rule="{rule}"', page
        )
        assert len(rows) == n  # the HTML lists every finding
        assert [c for c in rows if c] == [" screen-only"] * max(0, n - 2)
    more = [int(n.replace(",", "")) for n in re.findall(r"… and ([\d,]+) more findings", page)]
    assert sorted(more) == sorted(n - 2 for n in by_rule.values() if n > 2)
    stages = {s.id: s.label for s in m.stages}
    for stage, name in stages.items():
        n = sum(t.stage == stage for t in m.touchpoints)
        said = re.search(rf"… and ([\d,]+) more touchpoints of {re.escape(name)}:", page)
        assert (int(said[1]) if said else 0) == max(0, n - 2)
    from journeygraph.actions import action_plan

    plan = action_plan(m, result)
    counted = [int(n.replace(",", "")) for n in re.findall(r"… and ([\d,]+) more actions:", page)]
    assert counted
    assert len(plan) - 2 in counted  # the full plan (the body's top ten: 8 more)
    # The page the PDF is printed from holds the printed rows only, with the same counts.
    printed = html_report(report, printing=True)
    for rule, n in by_rule.items():
        rows = re.findall(
            rf'<tr class="finding[^"]*" data-severity="[^"]*" data-rule="{rule}"', printed
        )
        assert len(rows) == min(n, 2)
    again = [int(n.replace(",", "")) for n in re.findall(r"… and ([\d,]+) more findings", printed)]
    assert sorted(again) == sorted(more)
    assert PRINTED_ROWS == 100
