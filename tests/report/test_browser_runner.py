"""The browser's time bound and its failures, with stand-in browsers (small scripts)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from journeygraph.exceptions import JourneyGraphError
from journeygraph.report.browser import (
    BASE_TIMEOUT,
    SECONDS_PER_MB,
    TIMEOUT_VARIABLE,
    browser_timeout,
    print_pdf,
)


def stand_in(tmp_path: Path, body: str) -> str:
    script = tmp_path / "browser"
    script.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return str(script)


def test_the_bound_grows_with_the_page(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(TIMEOUT_VARIABLE, raising=False)
    assert browser_timeout(0) == BASE_TIMEOUT
    assert browser_timeout(3_000_000) == BASE_TIMEOUT + 3 * SECONDS_PER_MB
    monkeypatch.setenv(TIMEOUT_VARIABLE, "7.5")
    assert browser_timeout(3_000_000) == 7.5


@pytest.mark.parametrize("given", ["soon", "0", "-3"])
def test_a_bound_that_is_no_time_is_refused(given: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TIMEOUT_VARIABLE, given)
    with pytest.raises(JourneyGraphError, match=TIMEOUT_VARIABLE):
        browser_timeout(0)


def test_a_browser_over_its_bound_says_how_to_give_it_more(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JOURNEYGRAPH_BROWSER", stand_in(tmp_path, "sleep 5"))
    monkeypatch.setenv(TIMEOUT_VARIABLE, "0.5")
    page = tmp_path / "r.html"
    page.write_text("<p>x</p>", encoding="utf-8")
    with pytest.raises(JourneyGraphError) as err:
        print_pdf(page, tmp_path / "r.pdf")
    assert str(err.value).startswith("the browser took over 0.5 s to print")
    assert f"set {TIMEOUT_VARIABLE}" in str(err.value)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "echo '[1:1:ERROR:zygote.cc] no room for the zygote' >&2; echo 'bye' >&2; exit 3",
            "exit status 3; [1:1:ERROR:zygote.cc] no room for the zygote",
        ),
        ("kill -9 $$", "killed by SIGKILL (the system may have run out of memory) and said"),
        ("echo 'all done' >&2", "it ended without writing the file; all done"),
    ],
)
def test_a_failing_browser_says_why(
    body: str, expected: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JOURNEYGRAPH_BROWSER", stand_in(tmp_path, body))
    monkeypatch.delenv(TIMEOUT_VARIABLE, raising=False)
    page = tmp_path / "r.html"
    page.write_text("<p>x</p>", encoding="utf-8")
    with pytest.raises(JourneyGraphError) as err:
        print_pdf(page, tmp_path / "r.pdf")
    assert expected in str(err.value)
    assert not (tmp_path / "r.pdf").exists()
