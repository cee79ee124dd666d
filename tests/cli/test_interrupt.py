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


def _interrupted_run(command: list[str], delay: float) -> tuple[int, str]:
    """Run ``command`` and interrupt it ``delay`` seconds after journeygraph's entry point
    could first have run. On a loaded machine Python's own start-up can outlast the
    delay: an interrupt that lands before the entry point began (a traceback with no
    frame of ``_start.py``, or a silent death by the signal before Python handles
    it) is beyond any program's reach, and the run is tried again
    later by the time it took."""
    late = 0.0
    for _ in range(6):
        with subprocess.Popen(
            command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        ) as child:
            time.sleep(delay + late)
            child.send_signal(signal.SIGINT)
            _, err = child.communicate(timeout=120)
        # Too early: a traceback with no frame of the entry point, or killed by the
        # signal's default action without a word (before Python set its handler).
        early = "Traceback" in err and "_start.py" not in err
        if early or (child.returncode == -signal.SIGINT and not err):
            late += 0.05
            continue
        return child.returncode, err
    raise AssertionError(f"Python's start-up outlasted {delay + late:.2f} s six times: {err}")


@pytest.mark.parametrize("delay", DELAYS)
def test_an_interrupt_ends_the_command_with_one_line(delay: float, tmp_path: Path) -> None:
    command = [
        str(Path(sys.executable).with_name("journeygraph")),  # the script users run
        "report",
        str(EXAMPLES / "b2b-saas.yaml"),
        "--log",
        str(EXAMPLES / "b2b-saas-events.csv"),
        "-o",
        str(tmp_path / "r"),
    ]
    returncode, err = _interrupted_run(command, delay)
    assert "Traceback" not in err, err
    if returncode == 0:  # it finished first: nothing to check
        return
    assert returncode == 130, err
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


def test_an_interrupt_while_an_extension_loads_is_raised_once_it_has_loaded() -> None:
    """Raised inside a C extension's initialisation, an interrupt aborts the process
    (nanobind's "critical error"): the entry point holds it until the load is done."""
    import os

    from journeygraph._start import _deferring

    done = []

    def load(_module: object) -> str:
        os.kill(os.getpid(), signal.SIGINT)
        done.append(sum(range(200_000)))  # Python code, where the interrupt would land
        return "module"

    before = signal.getsignal(signal.SIGINT)
    with pytest.raises(KeyboardInterrupt):
        _deferring(load)(None)
    assert done, "the load ran to its end before the interrupt was raised"
    assert signal.getsignal(signal.SIGINT) is before
