"""Ctrl-C at any moment: exit 130 and one line, never a traceback."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, ROOT

# From the moment journeygraph's code runs (Python's own start-up, the first 30 ms
# or so, is beyond any program's reach) to well into the work of a report.
DELAYS = [0.06, 0.08, 0.1, 0.15, 0.2, 0.3, 0.45, 0.7, 1.0, 1.5, 2.0]


@pytest.fixture(scope="module")
def start_up() -> float:
    """How much longer than on an idle machine Python takes now to reach journeygraph's
    entry point (the fastest of three): on a loaded machine the delays start later, so that
    they still fall where journeygraph's code runs."""
    taken = []
    for _ in range(3):
        began = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import journeygraph._start"], check=True)
        taken.append(time.perf_counter() - began)
    return max(0.0, min(taken) - 0.05)


@pytest.mark.parametrize("delay", DELAYS)
def test_an_interrupt_ends_the_command_with_one_line(
    delay: float, start_up: float, tmp_path: Path
) -> None:
    command = [
        str(Path(sys.executable).with_name("journeygraph")),  # the script users run
        "report",
        str(EXAMPLES / "b2b-saas.yaml"),
        "--log",
        str(EXAMPLES / "b2b-saas-events.csv"),
        "-o",
        str(tmp_path / "r"),
    ]
    with subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as child:
        time.sleep(delay + start_up)
        child.send_signal(signal.SIGINT)
        _, err = child.communicate(timeout=120)
    assert "Traceback" not in err, err
    if child.returncode == 0:  # it finished first: nothing to check
        return
    assert child.returncode == 130, err
    last = err.strip().splitlines()[-1]
    if last.endswith("after its work was done; what it wrote is whole"):
        # Python noted the interrupt where it could not raise it (a callback during an
        # import): the command ran to its end, and says so.
        assert (tmp_path / "r" / "report.html").is_file()
        return
    if (tmp_path / "r").exists():
        # The interrupt came once the report was written, as the command ended: what
        # it wrote is whole, and the one line says it was interrupted.
        assert (tmp_path / "r" / "report.html").is_file()
        assert (tmp_path / "r" / ".journeygraph").is_file()
        assert last.startswith("journeygraph: interrupted"), err
        return
    assert err.strip() == "journeygraph: interrupted; no output was half-written", err
