"""The report's body in the client's words, as printed and as the HTML shows it: no
backtick, no file name, no id that is not also the thing's name, no configuration key
and no command line. The appendix's method may name them all."""

from __future__ import annotations

import html as _html
import re
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

import journeygraph
from journeygraph.cli import ExitCode, app
from journeygraph.model import AuditConfig, JourneyMap, Thresholds
from tests.conftest import EXAMPLES

MAPS = sorted(EXAMPLES.glob("*.yaml"))


def _ids(m: JourneyMap) -> set[str]:
    """Every id of the map that reads as an id (with a hyphen, an underscore or a digit:
    ``credit-head``; a one-word id, ``offer``, is also a word of the client's text) and
    is not also, letter case aside, the thing's name."""
    things = [
        m.journey,
        *m.stages,
        *m.touchpoints,
        *m.functions,
        *m.departments,
        *m.personas,
        *m.opportunities,
    ]
    # An id that is also a word of the map's own prose ("follow-up") may be written.
    prose = " ".join(getattr(t, "description", None) or "" for t in things)
    return {
        t.id
        for t in things
        if t.id.lower() != t.label.lower()
        and re.search(r"[-_0-9]", t.id)
        and not re.search(rf"(?<![\w-]){re.escape(t.id)}(?![\w-])", prose)
    }


def _tool_words(text: str, m: JourneyMap, file: str) -> list[str]:
    """What of the tool's own vocabulary ``text`` holds."""
    found = [w for w in ("`", "journeygraph ", file, ".;") if w in text]
    keys = {*Thresholds.model_fields, *AuditConfig.model_fields} - {"severity"}
    words = [*sorted(_ids(m)), *sorted(k for k in keys if "_" in k)]
    found += [w for w in words if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text)]
    if re.search(r"(?<![\w-])[Ll]ines? \d+|Where:", text):  # not "First-line 1 ..."
        found.append("line N")
    return found


def _html_body(page: str) -> str:
    """The visible text of the HTML report's body: from the journeys to the appendix,
    without the drawings' tooltips."""
    body = page[page.index("</nav>") : page.index('id="appendix"')]
    body = re.sub(
        r"<style>.*?</style>|<script>.*?</script>|<title>.*?</title>", "", body, flags=re.S
    )
    return " ".join(_html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def _pdf_pages(pdf: Path) -> list[str]:
    """The text of each printed page."""
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [p for p in text.split("\f") if p.strip()]


def _pdf_body(pdf: Path) -> str:
    """The printed body's text: every page before the appendix's."""
    pages = _pdf_pages(pdf)
    body = next(i for i, p in enumerate(pages) if p.strip().startswith("Appendix"))
    return " ".join("\n".join(pages[:body]).split())


@pytest.mark.browser
@pytest.mark.parametrize("path", MAPS, ids=[p.stem for p in MAPS])
def test_the_body_holds_none_of_the_tool_s_words(path: Path, tmp_path: Path) -> None:
    out = tmp_path / "r"
    cover = ["--client", "Northbank", "--author", "Jo Rivera", "--date", "7 December 2026"]
    result = CliRunner().invoke(app, ["report", str(path), "-o", str(out), "--pdf", *cover])
    assert result.exit_code == ExitCode.OK, result.stderr
    m = journeygraph.load(path)
    page = (out / "report.html").read_text(encoding="utf-8")
    assert _tool_words(_html_body(page), m, path.name) == []
    assert _tool_words(_pdf_body(out / "report.pdf"), m, path.name) == []
    # Every printed page's foot says for whom, by whom and when, as given.
    pages = _pdf_pages(out / "report.pdf")
    byline = "For Northbank · by Jo Rivera · 7 December 2026"
    assert [n for n, p in enumerate(pages, 1) if byline not in " ".join(p.split())] == []


def test_the_scan_finds_the_tool_s_words() -> None:
    m = journeygraph.load(EXAMPLES / "mortgage.yaml")
    text = (
        "Run `journeygraph actions mortgage.yaml`; rework_share is 0.2.; see line 104; "
        "credit-head left the offer."
    )
    assert _tool_words(text, m, "mortgage.yaml") == [
        "`",
        "journeygraph ",
        "mortgage.yaml",
        ".;",
        "credit-head",
        "rework_share",
        "line N",
    ]
