"""Names that hold terminal escape sequences are shown, never obeyed; any name can be drawn."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from journeygraph.cli import ExitCode, app

runner = CliRunner()
HOSTILE = (
    "version: 1\n"
    'journey: {id: j, name: "Journey \\e[2J\\a"}\n'
    'stages: [{id: s, name: "Stage \\e]0;pwned\\a"}]\n'
    'functions: [{id: f, name: "Fn \\e[31mred\\u009b1m"}]\n'
    "touchpoints:\n"
    '  - {id: a, name: "Touch \\e[2J", stage: s, owners: {R: [f]}, next: [b]}\n'
    '  - {id: b, name: "B\\u202eevil\\0", stage: s, owners: {A: [f]}}\n'
)
CONTROLS = [chr(c) for c in [*range(0x20), 0x7F, *range(0x80, 0xA0)] if chr(c) not in "\n\t"]


def hostile(tmp_path: Path) -> str:
    path = tmp_path / "hostile.yaml"
    path.write_text(HOSTILE, encoding="utf-8")
    return str(path)


def raw_controls(text: str) -> list[str]:
    return sorted({c for c in text if c in CONTROLS or c == "\u202e"})


@pytest.mark.parametrize(
    "args",
    [
        ["audit", "MAP", "--fail-on", "never"],
        ["matrix", "MAP"],
        ["whatif", "MAP"],
        ["whatif", "MAP", "--remove-function", "f"],
        ["whatif", "MAP", "--to-be", "MAP"],
        ["diff", "MAP", "MAP"],
        ["render", "MAP", "--stage", "\x1b[2Jnope", "-o", "x.svg"],
        ["explain", "\x1b[2Jnope"],
        ["audit", "\x1b[2Jno-such-file.yaml"],
    ],
)
def test_text_output_and_messages_write_control_characters_out(
    args: list[str], tmp_path: Path
) -> None:
    path = hostile(tmp_path)
    result = runner.invoke(app, [path if a == "MAP" else a for a in args])
    assert result.exit_code in (ExitCode.OK, ExitCode.ERROR), result.output
    assert raw_controls(result.stdout + result.stderr) == []
    assert "\\x1b" in result.stdout + result.stderr


@pytest.mark.parametrize("output_format", ["json", "csv", "text"])
def test_every_format_on_a_real_terminal_is_safe(output_format: str, tmp_path: Path) -> None:
    path = hostile(tmp_path)
    leader, follower = pty.openpty()
    code = "import sys; from journeygraph.cli import main; sys.argv[0] = 'journeygraph'; main()"
    with subprocess.Popen(
        [sys.executable, "-c", code, "audit", path, "-f", output_format, "--fail-on", "never"],
        stdout=follower,
        stderr=subprocess.PIPE,
    ) as child:
        os.close(follower)
        seen = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            seen += chunk
        child.wait(timeout=60)
    os.close(leader)
    assert child.returncode == ExitCode.OK
    shown = seen.decode("utf-8")
    # JSON writes it as \u001b, the others as \x1b.
    assert "Touch \\x1b[2J" in shown or "Touch \\u001b[2J" in shown
    # Colour codes of the text format are journeygraph's own; none comes from the map.
    assert "\x1b[2J" not in shown
    assert "\x1b]0;" not in shown
    assert "\x07" not in shown
    assert "\u202e" not in shown


@pytest.mark.graphviz
@pytest.mark.parametrize("view", ["flow", "blueprint", "handoffs", "matrix"])
def test_any_name_is_drawn(view: str, tmp_path: Path) -> None:
    long = "x" * 20_000
    path = tmp_path / "long.yaml"
    path.write_text(
        "version: 1\n"
        'journey: {id: j, name: "J\\0nul\\e[2J"}\n'
        f'stages: [{{id: s, name: "{long}"}}]\n'
        f"departments: [{{id: d{long}, name: D}}]\n"
        f'functions: [{{id: f{long}, name: "F\\0\\a", department: d{long}}}, {{id: g, name: G}}]\n'
        "touchpoints:\n"
        f'  - {{id: a{long}, name: "{long}", stage: s, owners: {{R: [f{long}]}}, next: [b]}}\n'
        '  - {id: b, name: "B\\a", stage: s, owners: {R: [g]}}\n',
        encoding="utf-8",
    )
    out = tmp_path / f"{view}.svg"
    result = runner.invoke(app, ["render", str(path), "--view", view, "-o", str(out)])
    assert result.exit_code == ExitCode.OK, result.stderr
    svg = out.read_text(encoding="utf-8")
    assert raw_controls(svg) == []
    if view == "flow":
        assert "x" * 499 + "…" in svg or "x" * 100 + "-" in svg
