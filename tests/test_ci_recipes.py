"""The CI recipes of docs/ci/, read as GitHub and GitLab read them, and run.

Every shell step of both files runs with bash, as the runners run it, in a
scratch repository holding examples/ as a pull request changes them (the base
commit is real; the CI's variables are given). pip, gh and curl are stand-ins
that record what they were asked; journeygraph is the real one, through a
stand-in that records each command line. No network.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from tests.conftest import EXAMPLES, ROOT

GITHUB = ROOT / "docs" / "ci" / "github-actions.yml"
GITLAB = ROOT / "docs" / "ci" / "gitlab-ci.yml"
SARIF_SCHEMA = ROOT / "tests" / "fixtures" / "sarif-2.1.0.schema.json"
JOURNEYGRAPH = Path(sys.executable).with_name("journeygraph")
MARKER = "<!-- journeygraph diff -->"

# What the stand-ins do. Each records its arguments, one JSON list a line, in
# $CALLS/<name>; gh and curl keep the comment they would have posted.
STANDINS = {
    "journeygraph": f"""
import json, os, sys
with open(os.path.join(os.environ["CALLS"], "journeygraph"), "a") as log:
    log.write(json.dumps(sys.argv[1:]) + "\\n")
os.execv({str(JOURNEYGRAPH)!r}, [{str(JOURNEYGRAPH)!r}, *sys.argv[1:]])
""",
    "python": f"""
import json, os, sys
if sys.argv[1:3] == ["-m", "pip"]:
    with open(os.path.join(os.environ["CALLS"], "pip"), "a") as log:
        log.write(json.dumps(sys.argv[3:]) + "\\n")
    sys.exit(0)
os.execv({sys.executable!r}, [{sys.executable!r}, *sys.argv[1:]])
""",
    "gh": """
import json, os, shutil, sys
with open(os.path.join(os.environ["CALLS"], "gh"), "a") as log:
    log.write(json.dumps(sys.argv[1:]) + "\\n")
body = sys.argv[sys.argv.index("--body-file") + 1]
shutil.copy(body, os.path.join(os.environ["CALLS"], "posted.md"))
""",
    "curl": """
import json, os, sys
with open(os.path.join(os.environ["CALLS"], "curl"), "a") as log:
    log.write(json.dumps(sys.argv[1:]) + "\\n")
if "--request" not in sys.argv:
    print(os.environ["EXISTING_NOTES"])
for argument in sys.argv:
    if argument.startswith("body@"):
        with open(argument[len("body@"):], encoding="utf-8") as body:
            text = body.read()
        with open(os.path.join(os.environ["CALLS"], "posted.md"), "w", encoding="utf-8") as out:
            out.write(text)
""",
}


@dataclass
class PullRequest:
    """A scratch repository at the head of a pull request, and where the stand-ins log."""

    repository: Path
    base: str
    calls: Path
    path: str

    def calls_of(self, program: str) -> list[list[str]]:
        log = self.calls / program
        if not log.exists():
            return []
        return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]

    def posted(self) -> str:
        return (self.calls / "posted.md").read_text(encoding="utf-8")


def git(repository: Path, *arguments: str) -> str:
    env = {name: value for name, value in os.environ.items() if not name.startswith("GIT_")}
    done = subprocess.run(
        ["git", *arguments], cwd=repository, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


@pytest.fixture
def pull_request(tmp_path: Path) -> PullRequest:
    """examples/ under maps/ at the base; the head drops a handoff, adds a map, removes one."""
    repository = tmp_path / "cx-maps"
    maps = repository / "maps"
    maps.mkdir(parents=True)
    git(repository, "init", "--quiet")
    git(repository, "config", "user.name", "CX team")
    git(repository, "config", "user.email", "cx@example.com")
    git(repository, "config", "commit.gpgsign", "false")
    for example in ("b2b-saas.yaml", "helpdesk.yaml", "healthcare-outpatient.yaml"):
        shutil.copy(EXAMPLES / example, maps / example)
    (repository / "README.md").write_text("Our journey maps.\n", encoding="utf-8")
    git(repository, "add", ".")
    git(repository, "commit", "--quiet", "-m", "base")
    base = git(repository, "rev-parse", "HEAD")

    helpdesk = maps / "helpdesk.yaml"
    text = helpdesk.read_text(encoding="utf-8")
    handoff = (
        "{from: first-line, to: second-line, name: Triage handoff, sla: 1d, system: Ticketing}"
    )
    dropped = f"  - {handoff}\n"
    assert dropped in text
    helpdesk.write_text(text.replace(dropped, ""), encoding="utf-8")
    shutil.copy(EXAMPLES / "mortgage.yaml", maps / "mortgage.yaml")
    # Not a map of the folder: audit reads no subfolder, and the diff neither.
    (maps / "drafts").mkdir()
    shutil.copy(EXAMPLES / "mortgage.yaml", maps / "drafts" / "mortgage.yaml")
    (maps / "healthcare-outpatient.yaml").unlink()
    (repository / "README.md").write_text("Our journey maps, and a new one.\n", encoding="utf-8")
    git(repository, "add", "--all")
    git(repository, "commit", "--quiet", "-m", "head")

    calls = tmp_path / "calls"
    standins = tmp_path / "bin"
    calls.mkdir()
    standins.mkdir()
    for name, source in STANDINS.items():
        program = standins / name
        program.write_text(f"#!{sys.executable}\n{source}", encoding="utf-8")
        program.chmod(0o755)
    return PullRequest(repository, base, calls, f"{standins}{os.pathsep}{os.environ['PATH']}")


def run_script(script: str, pull_request: PullRequest, variables: dict[str, str]) -> int:
    """Run ``script`` as both runners run a step: bash, stopping at the first failure."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("GIT_")}
    env.update(variables, PATH=pull_request.path, CALLS=str(pull_request.calls))
    done = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
        cwd=pull_request.repository,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    # Shown when an assertion on the exit code fails.
    print(f"$ {script}\n{done.stdout}{done.stderr}")
    return done.returncode


def journeygraph_lines(scripts: list[str]) -> list[list[str]]:
    """The journeygraph commands written in ``scripts``, split as the shell splits them.

    A command starts a line or follows ``;``, ``&&``, ``||`` or ``|``, and ends at one.
    """
    command = re.compile(r"(?:^|;|&&|\|\||\|)\s*(journeygraph\s[^;&|]*)")
    return [
        shlex.split(match.group(1))
        for script in scripts
        for line in script.splitlines()
        for match in command.finditer(line.strip())
    ]


def assert_every_journeygraph_line_ran(scripts: list[str], pull_request: PullRequest) -> None:
    """Each journeygraph line of ``scripts`` ran: its command and options, in some call."""
    written = journeygraph_lines(scripts)
    assert written, "no journeygraph command in the recipe"
    ran = pull_request.calls_of("journeygraph")
    for line in written:
        options = [word for word in line if word.startswith("-")]
        assert any(
            call[0] == line[1] and [w for w in call if w.startswith("-")] == options for call in ran
        ), (line, ran)


def assert_valid_sarif(pull_request: PullRequest, name: str) -> dict[str, Any]:
    sarif = json.loads((pull_request.repository / name).read_text(encoding="utf-8"))
    jsonschema.validate(sarif, json.loads(SARIF_SCHEMA.read_text(encoding="utf-8")))
    results = sarif["runs"][0]["results"]
    assert any(r["properties"]["severity"] == "high" for r in results)
    for result in results:
        # Code scanning puts a result on a line of a file of the repository.
        uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert (pull_request.repository / uri).is_file(), uri
    return dict(sarif)


def assert_diff_comment(text: str) -> None:
    """What the comment on the pull request of the ``pull_request`` fixture says."""
    assert text.startswith(MARKER)
    # The map changed: its findings that appeared, then its changes.
    assert "**`maps/helpdesk.yaml`**" in text
    assert "## Journey map changes: Help desk ticket" in text
    assert "### New findings (3)" in text
    assert "| medium | handoff-gap | Customers go from 'Seriousness assigned'" in text
    assert "| handoff | first-line / second-line | removed |" in text
    assert "**`maps/mortgage.yaml`**\n\nA new map" in text
    assert "drafts" not in text
    assert "**`maps/healthcare-outpatient.yaml`**\n\nRemoved." in text
    # Neither the map that did not change nor the file outside maps/.
    assert "b2b-saas" not in text
    assert "README" not in text


# GitHub Actions


def github() -> dict[Any, Any]:
    return dict(yaml.safe_load(GITHUB.read_text(encoding="utf-8")))


def github_variables(
    workflow: dict[Any, Any], job: str, step: dict[str, Any], base: str
) -> dict[str, str]:
    """A step's environment: the workflow's, the job's and the step's, expressions evaluated."""
    # What GitHub would put for each expression the recipe uses; another one fails the test.
    expressions = {
        "${{ github.event.pull_request.base.sha }}": base,
        "${{ github.token }}": "a-token",
        "${{ github.repository }}": "cx/maps",
        "${{ github.event.pull_request.number }}": "7",
    }
    variables: dict[str, str] = {}
    for scope in (workflow, workflow["jobs"][job], step):
        for name, value in scope.get("env", {}).items():
            variables[name] = expressions[value] if "${{" in str(value) else str(value)
    return variables


def github_run_steps(workflow: dict[Any, Any], job: str) -> list[dict[str, Any]]:
    return [step for step in workflow["jobs"][job]["steps"] if "run" in step]


def test_github_workflow_shape() -> None:
    workflow = github()
    # PyYAML reads the key `on` as True, as YAML 1.1 says; GitHub reads it as "on".
    triggers = workflow[True]
    assert set(triggers) == {"pull_request", "push"}
    assert workflow["defaults"]["run"]["shell"] == "bash"
    assert workflow["permissions"] == {"contents": "read"}
    audit, diff = workflow["jobs"]["audit"], workflow["jobs"]["diff"]
    assert audit["permissions"]["security-events"] == "write"
    assert diff["permissions"]["pull-requests"] == "write"
    assert diff["if"] == "github.event_name == 'pull_request'"
    checkout = next(s for s in diff["steps"] if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0
    for job in (audit, diff):
        for step in job["steps"]:
            # Values reach a script through env, never pasted into it (script injection).
            assert "${{" not in step.get("run", "")
    (audit_line,) = journeygraph_lines([s["run"] for s in github_run_steps(workflow, "audit")])
    assert audit_line[:2] == ["journeygraph", "audit"]
    assert audit_line[audit_line.index("--format") + 1] == "sarif"
    assert audit_line[audit_line.index("--fail-on") + 1] == "high"
    upload = next(s for s in audit["steps"] if "upload-sarif" in s.get("uses", ""))
    assert upload["uses"].startswith("github/codeql-action/upload-sarif@")
    assert upload["with"]["sarif_file"] == audit_line[audit_line.index("--output") + 1]
    assert "always()" in upload["if"]


def test_github_audit_job_fails_on_high_and_writes_sarif_for_code_scanning(
    pull_request: PullRequest,
) -> None:
    workflow = github()
    steps = github_run_steps(workflow, "audit")
    codes = [
        run_script(
            step["run"], pull_request, github_variables(workflow, "audit", step, pull_request.base)
        )
        for step in steps
    ]
    # Installed, then audited: the maps have high findings, so the check fails.
    assert codes == [0, 1]
    (install,) = pull_request.calls_of("pip")
    assert install[0] == "install"
    assert install[1].startswith("journeygraph")
    assert_valid_sarif(pull_request, "journeygraph.sarif")
    assert_every_journeygraph_line_ran([s["run"] for s in steps], pull_request)


def test_github_diff_job_comments_the_changes_of_each_map(pull_request: PullRequest) -> None:
    workflow = github()
    steps = github_run_steps(workflow, "diff")
    for step in steps:
        variables = github_variables(workflow, "diff", step, pull_request.base)
        assert run_script(step["run"], pull_request, variables) == 0, step.get("name")
    (comment,) = pull_request.calls_of("gh")
    assert comment[:3] == ["pr", "comment", "7"]
    assert "--edit-last" in comment
    assert "--create-if-none" in comment
    assert_diff_comment(pull_request.posted())
    assert_every_journeygraph_line_ran([s["run"] for s in steps], pull_request)


# GitLab CI


def gitlab() -> dict[str, Any]:
    return dict(yaml.safe_load(GITLAB.read_text(encoding="utf-8")))


def gitlab_script(job: dict[str, Any]) -> str:
    """A job's before_script and script, one shell as the runner runs them."""
    return "\n".join([*job.get("before_script", []), *job["script"]])


def gitlab_variables(pipeline: dict[str, Any], job: str, base: str) -> dict[str, str]:
    variables = {name: str(value) for name, value in pipeline["variables"].items()}
    variables.update({n: str(v) for n, v in pipeline[job].get("variables", {}).items()})
    variables.update(
        CI_MERGE_REQUEST_DIFF_BASE_SHA=base,
        CI_API_V4_URL="https://gitlab.example.com/api/v4",
        CI_PROJECT_ID="12",
        CI_MERGE_REQUEST_IID="7",
        JOURNEYGRAPH_NOTES_TOKEN="a-token",
        EXISTING_NOTES="[]",
    )
    return variables


def test_gitlab_pipeline_shape() -> None:
    pipeline = gitlab()
    audit, diff = pipeline["journeygraph-audit"], pipeline["journeygraph-diff"]
    assert audit["artifacts"]["when"] == "always"
    assert audit["artifacts"]["reports"]["codequality"] == "gl-code-quality-report.json"
    assert audit["artifacts"]["paths"] == ["journeygraph.sarif"]
    assert all("merge_request_event" in rule["if"] for rule in diff["rules"])
    assert diff["variables"]["GIT_DEPTH"] == "0"
    (audit_line,) = journeygraph_lines([gitlab_script(audit)])
    assert audit_line[:2] == ["journeygraph", "audit"]
    assert audit_line[audit_line.index("--output") + 1] == "journeygraph.sarif"
    assert audit_line[audit_line.index("--fail-on") + 1] == "high"


def code_quality_report(pull_request: PullRequest) -> list[dict[str, Any]]:
    report = pull_request.repository / "gl-code-quality-report.json"
    issues: list[dict[str, Any]] = json.loads(report.read_text(encoding="utf-8"))
    for issue in issues:
        # The fields GitLab requires, with its severities.
        assert set(issue) == {"description", "check_name", "fingerprint", "severity", "location"}
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert (pull_request.repository / issue["location"]["path"]).is_file()
        assert issue["location"]["lines"]["begin"] >= 1
    assert len({issue["fingerprint"] for issue in issues}) == len(issues)
    return issues


def test_gitlab_audit_job_fails_on_high_and_writes_code_quality(pull_request: PullRequest) -> None:
    pipeline = gitlab()
    job = pipeline["journeygraph-audit"]
    variables = gitlab_variables(pipeline, "journeygraph-audit", pull_request.base)
    assert run_script(gitlab_script(job), pull_request, variables) == 1
    sarif = assert_valid_sarif(pull_request, "journeygraph.sarif")
    results = sarif["runs"][0]["results"]
    issues = code_quality_report(pull_request)
    # Every finding but the waived ones, high ones as critical.
    waived = [r for r in results if r.get("suppressions")]
    assert waived
    assert len(issues) == len(results) - len(waived)
    high = [r for r in results if r["properties"]["severity"] == "high" and r not in waived]
    assert sum(issue["severity"] == "critical" for issue in issues) == len(high)
    first = next(r for r in results if not r.get("suppressions"))
    assert first["properties"]["severity"] == "high"
    place = first["locations"][0]["physicalLocation"]
    assert issues[0] == {
        "description": first["message"]["text"],
        "check_name": first["ruleId"],
        "fingerprint": first["partialFingerprints"]["journeygraph/v1"],
        "severity": "critical",
        "location": {
            "path": place["artifactLocation"]["uri"],
            "lines": {"begin": place["region"]["startLine"]},
        },
    }
    assert_every_journeygraph_line_ran([gitlab_script(job)], pull_request)


def test_gitlab_audit_job_passes_maps_without_high_findings(pull_request: PullRequest) -> None:
    pipeline = gitlab()
    variables = gitlab_variables(pipeline, "journeygraph-audit", pull_request.base)
    variables["MAPS"] = "clean-maps"
    (pull_request.repository / "clean-maps").mkdir()
    shutil.copy(EXAMPLES / "helpdesk.yaml", pull_request.repository / "clean-maps")
    assert run_script(gitlab_script(pipeline["journeygraph-audit"]), pull_request, variables) == 0
    issues = code_quality_report(pull_request)
    assert {issue["severity"] for issue in issues} == {"major", "minor"}


@pytest.mark.parametrize(
    ("existing_notes", "method", "url"),
    [
        ("[]", "POST", ""),
        (
            json.dumps([{"id": 41, "body": "Looks good"}, {"id": 42, "body": MARKER + "\nold"}]),
            "PUT",
            "/42",
        ),
    ],
    ids=["first-note", "note-updated"],
)
def test_gitlab_diff_job_writes_one_note_on_the_merge_request(
    pull_request: PullRequest, existing_notes: str, method: str, url: str
) -> None:
    pipeline = gitlab()
    job = pipeline["journeygraph-diff"]
    variables = gitlab_variables(pipeline, "journeygraph-diff", pull_request.base)
    variables["EXISTING_NOTES"] = existing_notes
    assert run_script(gitlab_script(job), pull_request, variables) == 0
    read, write = pull_request.calls_of("curl")
    notes = "https://gitlab.example.com/api/v4/projects/12/merge_requests/7/notes"
    assert read[-1].startswith(notes + "?")
    assert write[write.index("--request") + 1] == method
    assert write[-1] == notes + url
    for call in (read, write):
        assert call[call.index("--header") + 1] == "PRIVATE-TOKEN: a-token"
    assert_diff_comment(pull_request.posted())
    assert pull_request.posted() == (pull_request.repository / "journeygraph-diff.md").read_text(
        encoding="utf-8"
    )
    assert_every_journeygraph_line_ran([gitlab_script(job)], pull_request)


def test_gitlab_diff_job_without_a_token_keeps_the_diff_as_an_artifact(
    pull_request: PullRequest,
) -> None:
    pipeline = gitlab()
    job = pipeline["journeygraph-diff"]
    variables = gitlab_variables(pipeline, "journeygraph-diff", pull_request.base)
    del variables["JOURNEYGRAPH_NOTES_TOKEN"]
    assert run_script(gitlab_script(job), pull_request, variables) == 0
    assert pull_request.calls_of("curl") == []
    assert job["artifacts"]["paths"] == ["journeygraph-diff.md"]
    assert_diff_comment((pull_request.repository / "journeygraph-diff.md").read_text("utf-8"))


def test_journeygraph_lines_are_found_in_scripts() -> None:
    # The finder the tests above rely on: a recipe's lines are not missed.
    script = 'echo x\n  journeygraph diff "$old" "$map" --format markdown ||\n    echo no\n'
    assert journeygraph_lines([script]) == [
        ["journeygraph", "diff", "$old", "$map", "--format", "markdown"]
    ]
    assert journeygraph_lines(["status=0; journeygraph audit maps || status=$?"]) == [
        ["journeygraph", "audit", "maps"]
    ]
    assert journeygraph_lines(['echo "journeygraph could not"  # journeygraph x']) == []
    # An audit and a diff in each recipe.
    workflow, pipeline = github(), gitlab()
    scripts = [s["run"] for job in workflow["jobs"] for s in github_run_steps(workflow, job)]
    scripts += [gitlab_script(pipeline[job]) for job in ("journeygraph-audit", "journeygraph-diff")]
    assert [line[1] for line in journeygraph_lines(scripts)] == ["audit", "diff"] * 2


def test_github_diff_comment_is_cut_to_what_a_comment_holds(pull_request: PullRequest) -> None:
    # Enough new maps for a comment past GitHub's 65,536 characters.
    for number in range(300):
        name = f"{'a-new-journey-map-' * 10}{number:03}.yaml"
        (pull_request.repository / "maps" / name).write_text("")
    git(pull_request.repository, "add", "--all")
    git(pull_request.repository, "commit", "--quiet", "-m", "many maps")
    workflow = github()
    (step,) = [s for s in github_run_steps(workflow, "diff") if "journeygraph diff" in s["run"]]
    variables = github_variables(workflow, "diff", step, pull_request.base)
    assert run_script(step["run"], pull_request, variables) == 0
    comment = (pull_request.repository / "journeygraph-diff.md").read_text(encoding="utf-8")
    assert 60000 < len(comment) < 65536
    assert comment.startswith(MARKER)
    assert comment.endswith("(Cut: run journeygraph diff locally for the rest.)\n")
