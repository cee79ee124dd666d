"""The report's body and appendix: the body an executive reads in a few pages (counted on
the printed PDF, page by page), the appendix with the rest, ``--full`` the long form."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

import journeygraph
from journeygraph.cli import ExitCode, app
from journeygraph.report.html_report import html_report
from journeygraph.report.markdown_report import markdown_report
from journeygraph.report.view import BODY_ACTIONS, CHANGES_IN_FULL, MATRIX_IN_FULL, build_report
from journeygraph.rule_ids import HANDOFF_GAP
from tests.conftest import EXAMPLES, generated_map

MAPS: list[Path | str] = [*sorted(EXAMPLES.glob("*.yaml")), "generated-27"]
"""The examples, and a generated map of 27 touchpoints (benchmarks/generate.py)."""
SMALLEST = 8
"""Touchpoints of the smallest example (help desk): its body takes at most 8 pages."""


def _page_lines(pdf: Path) -> list[list[str]]:
    """Per page of ``pdf``: its non-empty lines of text, as ``pdftotext -layout`` reads them."""
    from pypdf import PdfReader

    pages = []
    for number in range(1, len(PdfReader(pdf).pages) + 1):
        text = subprocess.run(
            ["pdftotext", "-layout", "-f", str(number), "-l", str(number), str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        pages.append([line.strip() for line in text.splitlines() if line.strip()])
    return pages


def _body_pages(pages: list[list[str]]) -> int:
    """Pages before the appendix: the first page that opens with its heading."""
    starts = [i for i, lines in enumerate(pages) if lines and lines[0] == "Appendix"]
    assert len(starts) == 1, [p[:1] for p in pages]
    return starts[0]


LEGENDS = {
    "service blueprint": "A box is a touchpoint, its Responsible function in italics",
    "handoff network": "without it the network falls",
    "journey flow": "a touchpoint of another stage, with its steps",
    "journey canvas": "a pain point. Owners: R responsible",
}
"""A line of each legend, as the printed report holds it."""


def _headings(html: str) -> set[str]:
    """The text of every heading of the report's HTML, spaces normalised."""
    import html as _html
    import re

    found = re.findall(r"<h[1-4][^>]*>(.*?)</h[1-4]>", html, re.S)
    return {" ".join(_html.unescape(re.sub(r"<[^>]+>", "", h)).split()) for h in found}


def _table_headers(html: str) -> set[str]:
    """The text of every table's header row (its ``thead``), cells joined by spaces."""
    import html as _html
    import re

    found = re.findall(r"<thead>(.*?)</thead>", html, re.S)
    return {" ".join(_html.unescape(re.sub(r"<[^>]+>", " ", h)).split()) for h in found}


def _is_header(line: str, headers: set[str]) -> bool:
    """Whether ``line`` is a table's header row, or its first line where a cell wraps."""
    return any(line == h or (len(line) >= 10 and h.startswith(line)) for h in headers)


WHITE = {(1.0, 1.0, 1.0), (1,), (1.0,)}
"""The paper's colour: a white rectangle with no border paints nothing on the page."""


def _page_used(pdf: Path) -> list[float]:
    """Per page of ``pdf``: the share of its text area that holds something, from the top
    of the text area (the highest thing printed on any page) down to the lowest text or
    drawing above the page's footer, as pdfplumber reads the printed page."""
    import pdfplumber

    spans = []
    with pdfplumber.open(pdf) as doc:
        for number, page in enumerate(doc.pages, start=1):
            footer = [
                line["top"]
                for line in page.extract_text_lines()
                if line["text"].endswith(f"Page {number} of {len(doc.pages)}")
            ]
            foot = min(footer, default=page.height)
            drawn = [
                o
                for o in (*page.chars, *page.rects, *page.lines, *page.curves, *page.images)
                if o["bottom"] < foot - 1
                and not (
                    o["object_type"] == "rect"
                    and not o.get("stroke")
                    and tuple(o.get("non_stroking_color") or ()) in WHITE
                )
            ]
            top = min((o["top"] for o in drawn), default=None)
            bottom = max((o["bottom"] for o in drawn), default=None)
            spans.append((top, bottom, foot))
    margin = min(top for top, _, _ in spans if top is not None)
    return [0.0 if b is None else (b - margin) / (f - margin) for _, b, f in spans]


def _layout_problems(
    pages: list[list[str]], html: str, used: list[float] | None = None, body: int = 0
) -> list[str]:
    """Where the printed report breaks the layout rules: a page that ends with a heading
    or a table's header row (its last line of text but the footer), a page that opens with
    a table's header carried over without a heading saying "continued", a legend printed
    more than once, and, in the body's first ``body`` pages, a page less than a third
    used (``used``: the share of each page's text area used) but the cover and the last."""
    headings = _headings(html)
    headers = _table_headers(html)
    problems = []
    for number, lines in enumerate(pages, start=1):
        footer = f"Page {number} of {len(pages)}"
        text = [" ".join(line.split()) for line in lines if not line.endswith(footer)]
        if text and text[-1] in headings:
            problems.append(f"page {number} ends with the heading {text[-1]!r}")
        if text and _is_header(text[-1], headers):
            problems.append(f"page {number} ends with a table's header {text[-1]!r}")
        if number <= body and text and _is_header(text[0], headers):
            problems.append(f"page {number} carries a table over without saying continued")
        if used and 1 < number < body and used[number - 1] < 1 / 3:
            problems.append(f"page {number} of the body is {used[number - 1]:.0%} used")
    printed = "\n".join(" ".join(line.split()) for lines in pages for line in lines)
    for legend, line in LEGENDS.items():
        if printed.count(line) > 1:
            problems.append(f"the {legend}'s legend is printed {printed.count(line)} times")
    return problems


def _most_pages(path: Path) -> int:
    """The body's target: 8 pages for 8 touchpoints, 12 for up to 27 (and a few more)."""
    touchpoints = len(journeygraph.load(path).touchpoints)
    return 8 if touchpoints <= SMALLEST else 12


@pytest.mark.browser
@pytest.mark.parametrize("name", MAPS, ids=[p.stem if isinstance(p, Path) else p for p in MAPS])
def test_the_body_fits_its_page_target_and_the_layout_rules_hold(
    name: Path | str, tmp_path: Path
) -> None:
    path = generated_map(tmp_path, 27, 12) if name == "generated-27" else Path(name)
    out = tmp_path / "r"
    result = CliRunner().invoke(app, ["report", str(path), "-o", str(out), "--pdf"])
    assert result.exit_code == ExitCode.OK, result.stderr
    pages = _page_lines(out / "report.pdf")
    body = _body_pages(pages)
    assert body <= _most_pages(path), (path.name, body)
    label = journeygraph.load(path).journey.label
    # The body in its order: the summary with the scorecard and the top actions (on
    # one page or two), the canvas on a page of its own, then the key diagrams.
    opening = [lines[0] for lines in pages[1:body]]
    assert opening[0] == label, opening
    canvas = opening.index("Journey canvas")
    assert canvas in (1, 2), opening
    assert "Scorecard" in "\n".join("\n".join(p) for p in pages[1 : canvas + 1])
    assert opening[canvas + 1].startswith("Service blueprint"), opening
    assert "Handoff network" in opening, opening
    assert "Coverage heat map" in opening, opening
    html = (out / "report.html").read_text(encoding="utf-8")
    used = _page_used(out / "report.pdf")
    assert _layout_problems(pages, html, used, body) == []
    # A table carried over says so, above its header repeated.
    for number, lines in enumerate(pages[:body], start=1):
        if lines[0].endswith(", continued"):
            assert " ".join(lines[1].split()) in _table_headers(html), (number, lines[:2])
    # Every action is in the appendix's full plan; the body lists the first ten only.
    text = "\n".join("\n".join(lines) for lines in pages[body:])
    assert "Findings" in text
    assert "Stage by stage" in text
    # A table the body cuts short says, on its page, how many more and where they are.
    printed = "\n".join(" ".join(line.split()) for lines in pages[:body] for line in lines)
    cut = re.findall(
        r"… and (\d+) more changes? of hands: appendix, Changes of hands in full", printed
    )
    assert len(cut) == html.count("more change"), cut
    if name == "generated-27":
        assert len(cut) >= 1
        assert "Changes of hands in full" in text


@pytest.mark.browser
def test_a_portfolio_s_body_is_an_overview_and_a_page_a_journey(tmp_path: Path) -> None:
    paths = sorted(EXAMPLES.glob("*.yaml"))
    out = tmp_path / "r"
    result = CliRunner().invoke(app, ["report", *map(str, paths), "-o", str(out), "--pdf"])
    assert result.exit_code == ExitCode.OK, result.stderr
    pages = _page_lines(out / "report.pdf")
    body = _body_pages(pages)
    # The cover, the overview, then each journey on one page, in the order given.
    assert body == 2 + len(paths), [p[:1] for p in pages[:body]]
    assert pages[1][0] == "Portfolio"
    labels = [journeygraph.load(p).journey.label for p in paths]
    assert [lines[0] for lines in pages[2:body]] == labels
    html = (out / "report.html").read_text(encoding="utf-8")
    assert _layout_problems(pages, html, _page_used(out / "report.pdf"), body) == []
    # Each journey's canvas and key diagrams are in the appendix.
    appendix = [lines[0] for lines in pages[body:]]
    assert [a for a in appendix if a.startswith("Journey canvas: ")] == [
        f"Journey canvas: {label}" for label in labels
    ]


def test_the_layout_rules_find_what_they_look_for() -> None:
    html = (
        "<h2>Appendix</h2><h3>Service blueprint, part 1 of 2</h3>"
        "<table><thead><tr><th>#</th><th>Step</th></tr></thead></table>"
    )
    footer = "Report    2026-12-06    Page {} of 5"
    legend = LEGENDS["handoff network"]
    pages = [
        ["Cover", footer.format(1)],
        ["Text", "Service   blueprint, part 1 of 2", footer.format(2)],
        [legend, legend, "#   Step", footer.format(3)],
        ["#  Step", "1  A", footer.format(4)],
        ["The last", footer.format(5)],
    ]
    assert _layout_problems(pages, html, [0.1, 0.9, 0.2, 0.9, 0.1], body=5) == [
        "page 2 ends with the heading 'Service blueprint, part 1 of 2'",
        "page 3 ends with a table's header '# Step'",
        "page 3 of the body is 20% used",
        "page 4 carries a table over without saying continued",
        "the handoff network's legend is printed 2 times",
    ]


@pytest.mark.graphviz
def test_the_body_and_the_appendix_in_order() -> None:
    m = journeygraph.load(EXAMPLES / "mortgage.yaml")
    result = journeygraph.audit(m)
    report = build_report([m], [result])
    (j,) = report.journeys
    assert len(j.actions) > BODY_ACTIONS
    assert j.top_actions == j.actions[:BODY_ACTIONS]
    assert len(j.canvas) == 1
    assert j.canvas[0].startswith("<svg")
    assert [d.view.split("-")[0] for d in j.key_diagrams] == [
        *(["blueprint"] * sum(d.view.startswith("blueprint") for d in j.diagrams)),
        "handoffs",
        "matrix",
    ]
    assert {d.view for d in j.key_diagrams} | {d.view for d in j.other_diagrams} == {
        d.view for d in j.diagrams
    }
    html = html_report(report)
    # Each mark as a heading: after a tag in HTML, after the hashes in Markdown.
    for page, before in ((html[html.index("</nav>") :], ">"), (markdown_report(report), "# ")):
        marks = [
            "Executive summary",
            "Scorecard",
            "The top ten actions",
            "Journey canvas",
            "Service blueprint",
            "Handoff network",
            "Coverage heat map",
            "Appendix",
            "Action plan",
            "Journey flow",
            "Findings\n" if before == "# " else "Findings</h2>",
        ]
        found = [page.index(before + mark) for mark in marks]
        assert found == sorted(found), list(zip(marks, found, strict=True))
    # The full plan is in the appendix only: its last action is not in the body.
    last = markdown_report(report).split("## Appendix")
    assert j.actions[-1].title not in last[0]
    assert j.actions[-1].title in last[1]


@pytest.mark.graphviz
def test_full_keeps_the_long_form(tmp_path: Path) -> None:
    m = journeygraph.load(EXAMPLES / "mortgage.yaml")
    report = build_report([m], [journeygraph.audit(m)], full=True)
    page = html_report(report)
    page = page[page.index("</nav>") :]
    assert "Appendix" not in page
    assert "Journey canvas" not in page
    assert page.index(">Action plan") < page.index(">Service blueprint") < page.index(">Findings")
    assert "## Appendix" not in markdown_report(report)
    out = tmp_path / "r"
    result = CliRunner().invoke(app, ["report", str(EXAMPLES / "mortgage.yaml"), "-o", str(out)])
    assert result.exit_code == ExitCode.OK, result.stderr
    assert "## Appendix" in (out / "report.md").read_text(encoding="utf-8")
    assert (out / "mortgage-canvas.svg").exists()
    full = tmp_path / "f"
    result = CliRunner().invoke(
        app, ["report", str(EXAMPLES / "mortgage.yaml"), "-o", str(full), "--full"]
    )
    assert result.exit_code == ExitCode.OK, result.stderr
    assert "## Appendix" not in (full / "report.md").read_text(encoding="utf-8")
    assert not (full / "mortgage-canvas.svg").exists()


@pytest.mark.graphviz
def test_the_method_appendix_defines_each_figure_once_from_the_docs_source() -> None:
    import re

    from journeygraph.docs import figures_markdown
    from journeygraph.figures import FIGURES
    from journeygraph.model import AuditConfig
    from journeygraph.report.wording import client_words

    m = journeygraph.load(EXAMPLES / "mortgage.yaml")
    config = AuditConfig.model_validate(
        {"disable": ["loop"], "severity": {"dead-end": "low"}, "thresholds": {"rework_share": 0.3}}
    )
    page = html_report(build_report([m], [journeygraph.audit(m, config=config)], config=config))
    method = page[page.index('id="method"') : page.index('id="findings"')]
    rows = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td></tr>", method)
    import html as _html

    defined = {_html.unescape(a): _html.unescape(b) for a, b in rows}
    # Each figure of the map and of the plan, worded as docs/figures.md words it.
    docs = (Path(__file__).parents[2] / "docs" / "figures.md").read_text(encoding="utf-8")
    for f in FIGURES:
        assert f"| {f.name} | {f.where} | {f.definition} |" in docs
        if f.section in ("From the map", "In the action plan"):
            assert defined[client_words(f.name)] == client_words(f.definition)
        else:
            assert client_words(f.name) not in defined  # no log, no to-be: not shown
    assert figures_markdown("From the map") in docs
    # The rules run, with their ids and the severity configured; the thresholds used.
    assert "<td>dead-end</td><td>low</td>" in method
    assert "<td>loop</td>" not in method
    assert "Rules turned off: loop." in method
    assert '<td>rework_share</td><td class="num">0.3</td>' in method


def _rows(table: str) -> list[str]:
    """The text of each body row of an HTML table (``tbody``), cells joined by spaces."""
    import html as _html

    found = re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>", 1)[-1], re.S)
    return [" ".join(_html.unescape(re.sub(r"<[^>]+>", " ", r)).split()) for r in found]


@pytest.mark.graphviz
def test_a_table_cut_short_lists_the_gaps_first_and_counts_the_rest_exactly(
    tmp_path: Path,
) -> None:
    m = journeygraph.load(generated_map(tmp_path, 27, 12))
    result = journeygraph.audit(m)
    report = build_report([m], [result])
    (j,) = report.journeys
    page = html_report(report)
    body, appendix = page.split('id="appendix"')
    # Independently of the blueprint: the map's changes of hands, the audit's gaps, and
    # the priority of the action that answers each gap.
    owners = {t.id: set(t.owners.role("R")) for t in m.touchpoints}
    changes = {
        (t.id, step.to)
        for t in m.touchpoints
        for step in t.next
        if t.id != step.to and owners[t.id] and owners[step.to]
        if owners[t.id].isdisjoint(owners[step.to])
    }
    gaps = {(f.entities[0], f.entities[1]) for f in result.findings if f.rule == HANDOFF_GAP}
    assert gaps
    assert gaps <= changes
    priority = {
        (f.entities[0], f.entities[1]): a.priority
        for a in reversed(j.actions)
        for f in a.findings
        if f.rule == HANDOFF_GAP
    }
    parts = [d for d in j.key_diagrams if d.changes is not None]
    # A part lists the changes of hands into or out of its stages, named in its title.
    stage = {t.id: t.stage for t in m.touchpoints}
    order = [s.label for s in m.stages]
    ids = {s.label: s.id for s in m.stages}
    expected = {}
    for d in parts:
        first, _, last = d.title.split(": ", 1)[1].partition(" to ")
        band = {ids[s] for s in order[order.index(first) : order.index(last or first) + 1]}
        expected[d.view] = {(a, b) for a, b in changes if band & {stage[a], stage[b]}}
        assert sorted(r.transition for r in d.changes or []) == sorted(expected[d.view])
    assert set().union(*expected.values()) == changes
    assert j.capped, "the generated map's blueprint tables run over pages"
    more = [int(n) for n in re.findall(r"… and (\d+) more changes? of hands", body)]
    full = appendix.split(f"<h3>{CHANGES_IN_FULL}</h3>", 1)[1].split("</div>", 1)[0]
    tables = dict(re.findall(r"<h4>(.*?)</h4>\s*(<table.*?</table>)", full, re.S))
    assert len(more) == len(tables) == len(j.capped)
    for d, n in zip([d for d in parts if d.view in j.capped], more, strict=True):
        shown = j.capped[d.view].rows
        here = [r for r in d.changes or [] if r.transition in gaps]
        # The gaps only, the first of the plan first, none left out ranked before them.
        assert {r.transition for r in shown} <= gaps
        ranks = [priority[r.transition] for r in shown]
        assert ranks == sorted(ranks)
        left = [priority[r.transition] for r in here if r not in shown]
        assert not shown or not left or min(left) >= ranks[-1]
        # The body's table holds them, the appendix the whole; the count says the rest.
        section = body.split(f"<h3>{d.title}</h3>", 1)[1].split("more change", 1)[0]
        assert len(_rows(section)) == len(shown)
        assert len(_rows(tables[d.title])) == len(shown) + n == len(expected[d.view])
        assert len(shown) == min(len(here), j.fits[d.view].parts[0])
    # Each full table once in the whole report.
    assert page.count(f"<h3>{CHANGES_IN_FULL}</h3>") == 1


@pytest.mark.graphviz
def test_a_coverage_matrix_past_a_page_of_its_own_is_cut_with_its_count(tmp_path: Path) -> None:
    m = journeygraph.load(generated_map(tmp_path, 27, 60))
    page = html_report(build_report([m], [journeygraph.audit(m)]))
    body, appendix = page.split('id="appendix"')
    body = body[body.index("<h3>Coverage heat map</h3>") :]
    ((count, where),) = re.findall(r"… and (\d+) more functions?: appendix, ([^<]+)\.", body)
    assert where == MATRIX_IN_FULL
    more = int(count)
    listed = body.count("<tr><td>")  # a function's row; the summary rows open with <th>
    assert 0 < listed < len(m.functions)
    assert listed + more == len(m.functions)  # the functions counted from the map
    # The body keeps the two summary rows; the appendix has the whole matrix, once.
    assert body.count('<th colspan="2">Responsible owner</th>') == 1
    full = appendix.split(f"<h3>{MATRIX_IN_FULL}</h3>", 1)
    assert len(full) == 2
    assert MATRIX_IN_FULL not in full[1]
    assert full[1].split("</table>", 1)[0].count("<tr><td>") == len(m.functions)
