"""Shared helpers: building maps from small YAML fragments."""

from __future__ import annotations

from pathlib import Path

import pytest

from journeygraph import JourneyMap, loads

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
HEADER = "\nversion: 1\njourney: {id: case, name: Case}\n"


def fragment(text: str, file: str = "case.yaml") -> JourneyMap:
    """A map from a fragment without ``version`` and ``journey``; lines stay as written."""
    return loads(text.rstrip("\n") + "\n" + HEADER, file)


@pytest.fixture
def chdir_root(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run from the repository root, where examples/ is."""
    monkeypatch.chdir(ROOT)
    return ROOT
