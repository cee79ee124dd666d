"""The hooks of .pre-commit-hooks.yaml, run as a repository of maps runs them.

The last test is the one that counts: ``pre-commit try-repo`` installs
journeygraph from this checkout into an environment of its own (pip, from
PyPI: a minute or two, less with pip's cache warm) and runs both hooks on the
files staged in a scratch repository. It needs PyPI; without it, it fails.
The others check the hook definitions themselves, in-process.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from journeygraph.cli import ExitCode, app
from tests.conftest import ROOT

HOOKS_FILE = ROOT / ".pre-commit-hooks.yaml"

# A map whose commit must fail: sales hands the customer to the warehouse, in
# another department, with no declared handoff (a high handoff-gap).
MAP_WITH_HIGH_FINDING = """\
version: 1
journey: {id: order, name: Order}
stages:
  - {id: buy, name: Buy, metrics: [orders]}
departments:
  - {id: sales, name: Sales}
  - {id: fulfilment, name: Fulfilment}
functions:
  - {id: sales-rep, name: Sales rep, department: sales}
  - {id: warehouse, name: Warehouse, department: fulfilment}
touchpoints:
  - id: quote
    name: Quote
    stage: buy
    entry: true
    owners: {R: sales-rep, A: sales-rep}
    next: [delivery]
  - id: delivery
    name: Delivery
    stage: buy
    exit: true
    owners: {R: warehouse}
"""
# The same map fixed: the handoff declared. Delivery still has nobody
# Accountable, a medium finding, which the hook's default (--fail-on high) lets
# through and `args: [--fail-on, medium]` does not.
FIXED_MAP = MAP_WITH_HIGH_FINDING.replace(
    "touchpoints:\n",
    "handoffs:\n"
    "  - {from: sales-rep, to: warehouse, name: Order handed to the warehouse, sla: 1d}\n"
    "touchpoints:\n",
)
# YAML that is not a map, such as every repository holds: the hooks leave it alone.
OTHER_YAML = "name: deploy\non: push\njobs: {build: {runs-on: ubuntu-latest}}\n"


def hooks() -> dict[str, dict[str, Any]]:
    """The hooks journeygraph ships, by id."""
    entries = yaml.safe_load(HOOKS_FILE.read_text(encoding="utf-8"))
    return {hook["id"]: hook for hook in entries}


def run_entry(hook: dict[str, Any], *arguments: str) -> int:
    """The exit code of a hook's entry with ``arguments`` after it, run in-process."""
    command = shlex.split(hook["entry"])
    assert command[0] == "journeygraph"
    return CliRunner().invoke(app, [*command[1:], *arguments]).exit_code


def test_the_hooks_shipped() -> None:
    shipped = hooks()
    assert list(shipped) == ["journeygraph-validate", "journeygraph-audit"]
    for hook in shipped.values():
        # pre-commit installs journeygraph from the repository into its own environment.
        assert hook["language"] == "python"
        assert hook.get("pass_filenames", True) is True
    assert shlex.split(shipped["journeygraph-validate"]["entry"]) == ["journeygraph", "validate"]
    assert shlex.split(shipped["journeygraph-audit"]["entry"])[:2] == ["journeygraph", "audit"]
    # One audit of every map staged: one summary and the portfolio across them.
    assert shipped["journeygraph-audit"]["require_serial"] is True


@pytest.mark.parametrize(
    ("path", "is_map"),
    [
        ("maps/order.yaml", True),
        ("maps/sales/order.yml", True),
        ("journeys/order.yaml", True),
        ("cx/journey-maps/order.yaml", True),
        ("docs/map/order.yaml", True),
        ("order.journey.yaml", True),
        ("cx/order.journey.yml", True),
        (".github/workflows/ci.yml", False),
        (".pre-commit-config.yaml", False),
        ("deploy/values.yaml", False),
        ("roadmaps/2027.yaml", False),
        ("maps/order.json", False),
        ("maps/README.md", False),
        ("journey.yaml", False),
    ],
)
def test_which_files_the_hooks_take(path: str, is_map: bool) -> None:
    for hook in hooks().values():
        # pre-commit matches `files` with re.search on the path from the repository's root.
        assert bool(re.search(hook["files"], path)) is is_map, (hook["id"], path)
        assert not re.search(hook.get("exclude", "^$"), path)


@pytest.fixture
def order_maps(tmp_path: Path) -> tuple[Path, Path]:
    """The order map with its high finding, and fixed, as files."""
    high = tmp_path / "high.yaml"
    high.write_text(MAP_WITH_HIGH_FINDING, encoding="utf-8")
    fixed = tmp_path / "fixed.yaml"
    fixed.write_text(FIXED_MAP, encoding="utf-8")
    return high, fixed


def test_the_audit_hook_fails_on_high_unless_args_say_otherwise(
    tmp_path: Path, order_maps: tuple[Path, Path]
) -> None:
    audit = hooks()["journeygraph-audit"]
    high, fixed = order_maps
    assert run_entry(audit, str(high)) == ExitCode.FINDINGS
    assert run_entry(audit, str(fixed)) == ExitCode.OK
    # A user's args come after the entry: the last --fail-on wins, and args
    # without one (--config, --baseline) keep the hook's.
    assert run_entry(audit, "--fail-on", "medium", str(fixed)) == ExitCode.FINDINGS
    assert run_entry(audit, "--fail-on", "never", str(high)) == ExitCode.OK
    config = tmp_path / "audit.yaml"
    config.write_text("disable: [idle-function]\n", encoding="utf-8")
    assert run_entry(audit, "--config", str(config), str(fixed)) == ExitCode.OK


def test_the_validate_hook_refuses_what_is_not_a_map(
    tmp_path: Path, order_maps: tuple[Path, Path]
) -> None:
    validate = hooks()["journeygraph-validate"]
    other = tmp_path / "ci.yml"
    other.write_text(OTHER_YAML, encoding="utf-8")
    # Why `files:` is narrower than every YAML file.
    assert run_entry(validate, str(other)) == ExitCode.ERROR
    for journey in order_maps:
        assert run_entry(validate, str(journey)) == ExitCode.OK


def git(repository: Path, *arguments: str, env: dict[str, str]) -> str:
    """Run git in ``repository``; its output."""
    done = subprocess.run(
        ["git", *arguments], cwd=repository, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


def hook_status(output: str, name: str) -> str:
    """What pre-commit said of the hook called ``name``: Passed, Failed or Skipped."""
    match = re.search(rf"^{re.escape(name)}\.*(?:\(no files to check\))?(\w+)$", output, re.M)
    assert match, f"no line for {name!r} in:\n{output}"
    return match.group(1)


@pytest.mark.pypi
def test_try_repo_fails_a_commit_with_a_high_finding_and_passes_the_fixed_map(
    tmp_path: Path,
) -> None:
    # No GIT_DIR or GIT_INDEX_FILE from a hook that runs these tests.
    env = {name: value for name, value in os.environ.items() if not name.startswith("GIT_")}
    # pre-commit's own store and log stay in the test's folder, not ~/.cache/pre-commit.
    env["PRE_COMMIT_HOME"] = str(tmp_path / "pre-commit-home")
    # The hook environment's pip: no bytecode for all of numpy and matplotlib
    # (journeygraph compiles what it imports), and no question to PyPI about pip.
    env["PIP_NO_COMPILE"] = "1"
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    scratch = tmp_path / "cx-maps"
    scratch.mkdir()
    git(scratch, "init", "--quiet", env=env)
    git(scratch, "config", "user.name", "CX team", env=env)
    git(scratch, "config", "user.email", "cx@example.com", env=env)
    git(scratch, "config", "commit.gpgsign", "false", env=env)
    (scratch / "README.md").write_text("Our journey maps.\n", encoding="utf-8")
    git(scratch, "add", "README.md", env=env)
    git(scratch, "commit", "--quiet", "-m", "start", env=env)

    (scratch / "maps").mkdir()
    journey = scratch / "maps" / "order.yaml"
    journey.write_text(MAP_WITH_HIGH_FINDING, encoding="utf-8")
    (scratch / "deploy").mkdir()
    (scratch / "deploy" / "values.yaml").write_text(OTHER_YAML, encoding="utf-8")
    git(scratch, "add", "maps/order.yaml", "deploy/values.yaml", env=env)

    def try_repo(*options: str) -> subprocess.CompletedProcess[str]:
        # Without --files, the files staged for the commit, as the git hook runs it.
        command = [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "--color=never"]
        return subprocess.run(
            [*command, *options],
            cwd=scratch,
            env=env,
            capture_output=True,
            text=True,
            timeout=1200,
        )

    failed = try_repo()
    output = failed.stdout + failed.stderr
    assert failed.returncode == 1, output
    assert hook_status(output, "journeygraph audit") == "Failed"
    assert "handoff-gap" in output
    assert "maps/order.yaml" in output
    assert "1 high, 1 medium in 1 journey." in output
    # The map is valid; the workflow file beside it was not given to validate.
    assert hook_status(output, "journeygraph validate") == "Passed"
    assert "values.yaml" not in output

    journey.write_text(FIXED_MAP, encoding="utf-8")
    git(scratch, "add", "maps/order.yaml", env=env)
    passed = try_repo("--verbose")
    output = passed.stdout + passed.stderr
    assert passed.returncode == 0, output
    assert hook_status(output, "journeygraph audit") == "Passed"
    assert hook_status(output, "journeygraph validate") == "Passed"
    # The medium finding left is shown and does not fail the commit.
    assert "missing-accountable" in output
    assert "1 medium in 1 journey." in output
    git(scratch, "commit", "--quiet", "-m", "Order journey, handoff declared", env=env)
    assert git(scratch, "status", "--porcelain", env=env) == ""


def test_the_documented_configuration_names_the_shipped_hooks() -> None:
    page = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    section = page.split("## In the repository of maps", 1)[1]
    block = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    (repository,) = yaml.safe_load(block)["repos"]
    assert set(repository) == {"repo", "rev", "hooks"}
    assert [hook["id"] for hook in repository["hooks"]] == list(hooks())
    # The recipes it points to are there.
    links = re.findall(r"\]\((ci/[^)]+)\)", section.split("\n## ", 1)[0])
    assert links == ["ci/github-actions.yml", "ci/gitlab-ci.yml"]
    assert all((ROOT / "docs" / link).is_file() for link in links)
