"""The one place that runs a browser: printing the HTML report to PDF."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from journeygraph.exceptions import JourneyGraphError

__all__ = ["BROWSER_FLAGS", "BrowserNotFoundError", "find_browser", "print_page", "print_pdf"]

# Headless, and nothing that reaches for the network: the report is offline.
BROWSER_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
)
_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


class BrowserNotFoundError(JourneyGraphError):
    """No Chromium or Chrome to print the PDF with."""


def find_browser() -> str:
    """The browser to use: ``$JOURNEYGRAPH_BROWSER``, else the first Chromium on the PATH."""
    chosen = os.environ.get("JOURNEYGRAPH_BROWSER")
    if chosen:
        return chosen
    for name in _CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    raise BrowserNotFoundError(
        "no Chromium to print the PDF with; run `make setup` (or `apt-get install chromium`), "
        "or set JOURNEYGRAPH_BROWSER to a Chrome or Chromium program"
    )


def print_pdf(html: Path, pdf: Path, *, timeout: float = 120) -> Path:
    """Print the HTML file ``html`` to ``pdf`` with headless Chromium."""
    browser = find_browser()
    with tempfile.TemporaryDirectory() as profile:
        command = [
            browser,
            *BROWSER_FLAGS,
            f"--user-data-dir={profile}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf.resolve()}",
            html.resolve().as_uri(),
        ]
        _run(command, pdf, f"print {pdf}", timeout)
    return pdf


def _run(command: list[str], out: Path, what: str, timeout: float) -> None:
    """Run the browser to ``what`` (words for messages) into ``out``: one error naming the
    browser's last line when it fails or writes nothing, or when it takes over ``timeout``."""
    try:
        done = subprocess.run(command, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise JourneyGraphError(f"the browser took over {timeout:.0f} s to {what}") from None
    if done.returncode != 0 or not out.exists():
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
        raise JourneyGraphError(f"the browser could not {what}: {detail[0]}")


def anchor_pages(pdf: Path) -> dict[str, int]:
    """The page (from 1) each named destination of ``pdf`` lands on: Chromium writes one
    for every anchor a link of the page points at.

    Examples
    --------
    >>> anchor_pages(Path("missing.pdf"))
    {}
    """
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(pdf)
        pages = {
            str(name).lstrip("/"): reader.get_destination_page_number(dest)
            for name, dest in reader.named_destinations.items()
        }
        return {name: page + 1 for name, page in pages.items() if page is not None}
    except (OSError, PdfReadError):
        return {}


def print_page(
    html: str, output_format: str, *, width_mm: float, height_mm: float, timeout: float = 120
) -> bytes:
    """``html`` (a whole page) printed by headless Chromium: a PDF, or a PNG of
    ``width_mm`` by ``height_mm`` at 192 dots an inch.

    The page is read from a scratch folder that goes when the print is done.
    """
    from journeygraph.io.files import atomic_write

    with tempfile.TemporaryDirectory() as scratch:
        page = atomic_write(Path(scratch) / "page.html", html)
        out = Path(scratch) / f"page.{output_format}"
        if output_format == "pdf":
            print_pdf(page, out, timeout=timeout)
            return out.read_bytes()
        browser = find_browser()
        # CSS pixels are 1/96 inch; the device scale doubles them for print quality.
        size = f"{round(width_mm / 25.4 * 96)},{round(height_mm / 25.4 * 96)}"
        command = [
            browser,
            *BROWSER_FLAGS,
            f"--user-data-dir={Path(scratch) / 'profile'}",
            "--hide-scrollbars",
            "--force-device-scale-factor=2",
            f"--window-size={size}",
            f"--screenshot={out}",
            page.resolve().as_uri(),
        ]
        _run(command, out, "draw the page", timeout)
        return out.read_bytes()
