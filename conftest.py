"""Doctests run from the repository root, whatever the working folder, and leave no files.

The examples in docstrings name ``examples/...`` as a reader at the root would;
their temporary folders go into the test's own temporary folder.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from _pytest.doctest import DoctestItem

ROOT = Path(__file__).resolve().parent


@pytest.fixture(autouse=True)
def _doctests_at_the_root(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    if isinstance(request.node, DoctestItem):
        monkeypatch.chdir(ROOT)
        monkeypatch.setattr(tempfile, "tempdir", str(request.getfixturevalue("tmp_path")))
