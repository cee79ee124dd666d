"""The collector around a command: paused while it runs, then frozen or resumed."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import gc, sys
from journeygraph import _gc
if sys.argv[1] == "ends":
    _gc.ends_with_its_command()
before = gc.get_freeze_count()
with _gc.paused_gc():
    assert not gc.isenabled()
    built = [[i] for i in range(10_000)]
print(gc.isenabled(), gc.get_freeze_count() - before >= 10_000)
"""


def _probe(script: str, how: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", script, how], capture_output=True, text=True, check=True, timeout=60
    )
    return done.stdout.strip()


def _after_a_block(how: str) -> str:
    return _probe(PROBE, how)


def test_a_process_that_ends_with_its_command_freezes_what_it_built() -> None:
    assert _after_a_block("ends") == "True True"


def test_a_process_that_goes_on_leaves_everything_to_the_collector() -> None:
    assert _after_a_block("goes-on") == "True False"


KEPT = """
import gc, sys, weakref
from journeygraph import _gc
if sys.argv[1] == "ends":
    _gc.ends_with_its_command()
class Results:
    pass
results = Results()
alive = weakref.ref(results)
_gc.kept_to_the_end(results)
del results
gc.collect()
print(alive() is not None)
"""


def _kept(how: str) -> str:
    return _probe(KEPT, how)


def test_what_a_command_is_done_with_is_kept_to_the_process_s_end() -> None:
    # Not freed an object at a time just before the process gives its memory back.
    assert _kept("ends") == "True"


def test_a_process_that_goes_on_frees_what_it_is_done_with() -> None:
    assert _kept("goes-on") == "False"
