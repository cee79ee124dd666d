"""The printed report, page by page: rendered with poppler-utils, no blank page, no page
holding only a heading, a cover, contents, and page numbers."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

import journeygraph
from journeygraph.cli import ExitCode, app
from tests.conftest import EXAMPLES, pdf_page_text

B2B = EXAMPLES / "b2b-saas.yaml"
HEALTH = EXAMPLES / "healthcare-outpatient.yaml"
LOG = EXAMPLES / "b2b-saas-events.csv"
INK = 0.005
"""Below this share of non-white pixels a page is blank."""


def _pages(pdf: Path, folder: Path) -> list[tuple[float, list[str]]]:
    """Per page: its share of non-white pixels, and its lines of text but the footer."""
    if shutil.which("pdftoppm") is None:
        pytest.fail("poppler-utils is not installed: run scripts/setup")
    subprocess.run(["pdftoppm", "-r", "20", "-gray", str(pdf), str(folder / "p")], check=True)
    pages = []
    for i, image in enumerate(sorted(folder.glob("p-*.pgm")), start=1):
        hist = Image.open(image).histogram()
        ink = sum(hist[:230]) / sum(hist)
        text = pdf_page_text(pdf, i)
        pages.append((ink, [line for line in text.splitlines() if line.strip()]))
    return pages


@pytest.mark.browser
@pytest.mark.parametrize(
    "args",
    [
        (str(B2B), "--log", str(LOG)),
        (str(B2B), str(HEALTH)),
    ],
    ids=["journey-with-log", "portfolio"],
)
def test_no_blank_or_heading_only_page(tmp_path: Path, args: tuple[str, ...]) -> None:
    out = tmp_path / "r"
    result = CliRunner().invoke(
        app,
        ["report", *args, "-o", str(out), "--pdf", "--client", "Acme", "--author", "J. Doe"],
    )
    assert result.exit_code == ExitCode.OK, result.stderr
    pages = _pages(out / "report.pdf", tmp_path)
    total = len(pages)
    for number, (ink, lines) in enumerate(pages, start=1):
        assert ink > INK, f"page {number} is blank"
        body = [line for line in lines if not line.startswith("Page ")]
        assert len(body) > 1, f"page {number} holds only {body}"
        if number > 1:  # the cover has no number
            assert f"Page {number} of {total}" in lines, number
    cover = pages[0][1]
    assert "For Acme" in cover
    assert "By J. Doe" in cover
    # The contents share the cover's page.
    contents = cover[cover.index("Contents") :]
    # The contents give the page each part begins on: that page opens with its heading.
    names = [journeygraph.load(Path(a)).journey.label for a in args if a.endswith(".yaml")]
    parts = (["Portfolio"] if len(names) > 1 else []) + names + ["Appendix", "Findings, by rule"]
    for part in parts:
        line = next(line for line in contents if line.startswith(part))
        number = int(line.rsplit(maxsplit=1)[-1]) if line.rsplit(maxsplit=1)[-1].isdigit() else 0
        if not number:  # the number sits on a line of its own after the entry
            after = contents[contents.index(line) + 1 :]
            number = int(next(x for x in after if x.strip().isdigit()))
        heading = "Findings" if part.startswith("Findings") else part
        assert pages[number - 1][1][0].startswith(heading), (part, number, pages[number - 1][1][:2])
