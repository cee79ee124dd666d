"""``pip install journeygraph`` without extras: the map, the audit, the command line.

The test installs this checkout, with no extra, into a fresh virtual
environment (from PyPI: under a minute with pip's cache warm; it needs PyPI,
and fails without it), then runs ``validate`` and ``audit`` on an example, and
``discover`` and ``report`` for the message naming the extra they need. It
prints the size of the environment's site-packages (the goal: under 60 MB;
docs/performance.md gives the figure).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, ROOT

SKIPPED = shutil.ignore_patterns(
    ".git",
    ".venv",
    "build",
    "dist",
    "*.egg-info",
    "node_modules",
    "target",
    "out",
    ".*_cache",
    "__pycache__",
)

CORE = {
    "journeygraph",
    "pydantic",
    "pydantic_core",
    "networkx",
    "yaml",
    "typer",
    "rich",
    "graphviz",
    "ruamel",
}


def size_mb(folder: Path) -> float:
    """The bytes of every file under ``folder``, in MB (10**6)."""
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


@pytest.mark.pypi
def test_the_core_install_validates_and_audits_and_names_the_extras(tmp_path: Path) -> None:
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=SKIPPED)
    venv = tmp_path / "core"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True, timeout=120)
    python = venv / "bin" / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-input", source],
        check=True,
        timeout=600,
    )
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "JOURNEYGRAPH_DEBUG"}}

    def journeygraph(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [venv / "bin" / "journeygraph", *args],
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
            cwd=tmp_path,
            check=False,
        )

    example = str(EXAMPLES / "b2b-saas.yaml")
    valid = journeygraph("validate", example)
    assert valid.returncode == 0, valid.stderr
    assert "valid (5 stages" in valid.stdout + valid.stderr
    audited = journeygraph("audit", example, "--format", "json", "--fail-on", "never")
    assert audited.returncode == 0, audited.stderr
    assert '"findings"' in audited.stdout
    for args, extra in [
        (["discover", str(EXAMPLES / "b2b-saas-events.csv")], "logs"),
        (["report", example, "-o", str(tmp_path / "report")], "report"),
    ]:
        missing = journeygraph(*args)
        assert missing.returncode == 2
        assert missing.stderr.strip().endswith(f"pip install 'journeygraph[{extra}]' installs it")
        assert "Traceback" not in missing.stderr

    site = next((venv / "lib").glob("python3*/site-packages"))
    installed = {p.name for p in site.iterdir() if p.is_dir() and p.name.isidentifier()}
    assert {"duckdb", "openpyxl", "jinja2", "neo4j", "matplotlib", "numpy"}.isdisjoint(installed)
    assert installed >= CORE
    print(f"core install: {size_mb(site):.1f} MB in site-packages, {sorted(installed)}")
    assert size_mb(site) < 60
