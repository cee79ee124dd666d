"""The one place that runs a browser: printing the HTML report to PDF."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from journeygraph.exceptions import JourneyGraphError
from journeygraph.extras import optional

__all__ = [
    "BROWSER_FLAGS",
    "TIMEOUT_VARIABLE",
    "BrowserNotFoundError",
    "browser_timeout",
    "find_browser",
    "print_page",
    "print_pdf",
]

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


TIMEOUT_VARIABLE = "JOURNEYGRAPH_BROWSER_TIMEOUT"
"""The environment variable that sets how many seconds the browser may take."""

BASE_TIMEOUT = 120.0
"""Seconds the browser may take for a page of no size."""

SECONDS_PER_MB = 60.0
"""Seconds more the browser may take for each megabyte of the page: Chromium lays a
large report out in time about proportional to its size."""


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


def browser_timeout(page_bytes: int) -> float:
    """Seconds the browser may take for a page of ``page_bytes``: ``$JOURNEYGRAPH_BROWSER_TIMEOUT``
    when set, else :data:`BASE_TIMEOUT` and :data:`SECONDS_PER_MB` for each megabyte.

    Examples
    --------
    >>> browser_timeout(0), browser_timeout(5_000_000)
    (120.0, 420.0)
    """
    given = os.environ.get(TIMEOUT_VARIABLE, "").strip()
    if given:
        try:
            seconds = float(given)
        except ValueError:
            seconds = -1.0
        if not seconds > 0:
            raise JourneyGraphError(
                f"{TIMEOUT_VARIABLE}={given!r}: give the seconds the browser may take, "
                "a number over 0"
            )
        return seconds
    return float(round(BASE_TIMEOUT + SECONDS_PER_MB * page_bytes / 1_000_000))


def print_pdf(html: Path, pdf: Path, *, timeout: float | None = None) -> Path:
    """Print the HTML file ``html`` to ``pdf`` with headless Chromium, within ``timeout``
    seconds (by default :func:`browser_timeout` of the file's size)."""
    browser = find_browser()
    if timeout is None:
        timeout = browser_timeout(html.stat().st_size)
    with tempfile.TemporaryDirectory() as profile:
        command = [
            browser,
            *BROWSER_FLAGS,
            f"--user-data-dir={profile}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf.resolve()}",
            html.resolve().as_uri(),
        ]
        size = html.stat().st_size
        page = f" ({size / 1e6:,.0f} MB of HTML)" if size >= 10_000_000 else ""
        _run(command, pdf, f"print {pdf}{page}", timeout)
    return pdf


def _run(command: list[str], out: Path, what: str, timeout: float) -> None:
    """Run the browser to ``what`` (words for messages) into ``out``: one error saying why
    when it fails or writes nothing, or when it takes over ``timeout``."""
    try:
        done = subprocess.run(command, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise JourneyGraphError(
            f"the browser took over {timeout:g} s to {what}; set {TIMEOUT_VARIABLE} to the "
            "seconds it may take"
        ) from None
    if done.returncode != 0 or not out.exists():
        stderr = done.stderr.decode("utf-8", "replace")
        raise JourneyGraphError(f"the browser could not {what}: {why(done.returncode, stderr)}")


_BROWSER_ERROR = re.compile(r"\b(FATAL|ERROR|Error|error)\b")


def why(returncode: int, stderr: str) -> str:
    """Why the browser failed, in words: how it ended and its last error line.

    Chromium logs much that is not the cause (GPU and D-Bus notices); the last
    line marked as an error, else the last line, says most.

    Examples
    --------
    >>> why(-9, "[1:2:ERROR:gpu_init.cc] no GPU\\nnotice")
    'killed by SIGKILL (the system may have run out of memory); [1:2:ERROR:gpu_init.cc] no GPU'
    >>> why(0, "[9:9:ERROR:crashpad/file_io_posix.cc:145] open /sys/x: No such file\\nbye")
    'it ended without writing the file; bye'
    >>> why(0, "")
    'it ended without writing the file and said nothing'
    """
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    # The crash reporter complains of what a container lacks (/sys files): never the cause.
    errors = [line for line in lines if _BROWSER_ERROR.search(line) and "crashpad" not in line]
    said = (errors or lines)[-1:] or []
    if returncode < 0:
        name = signal.Signals(-returncode).name if -returncode in signal.valid_signals() else ""
        how = f"killed by {name or f'signal {-returncode}'}"
        if name == "SIGKILL":
            how += " (the system may have run out of memory)"
    elif returncode > 0:
        how = f"exit status {returncode}"
    else:
        how = "it ended without writing the file"
    return f"{how}; {said[0]}" if said else f"{how} and said nothing"


def anchor_pages(pdf: Path) -> dict[str, int]:
    """The page (from 1) each named destination of ``pdf`` lands on: Chromium writes one
    for every anchor a link of the page points at.

    Examples
    --------
    >>> anchor_pages(Path("missing.pdf"))
    {}
    """
    optional("pypdf")  # not installed: which extra to install
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
    html: str,
    output_format: str,
    *,
    width_mm: float,
    height_mm: float,
    timeout: float | None = None,
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
        if timeout is None:
            timeout = browser_timeout(len(html.encode("utf-8")))
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
