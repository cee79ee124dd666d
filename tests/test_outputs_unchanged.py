"""The outputs of the shipped examples and of a finding-heavy map, against their digests
from before issue 30's speed work (commit b84fa94).

The speed work changed how figures are computed, never what they are: the
audit's JSON, the action plan as JSON, CSV and Markdown, and the DOT source of
every view must be byte for byte what they were. The action plan's workbook,
plain and in the acme theme, is compared by what it holds (`tests.xlsx_content`:
every cell's value and style and the sheets' settings), since its zip records
the time it was written; its digests were added from the code before the
workbook was written faster (issue 30, part 2). A change meant to alter an
output updates ``fixtures/outputs-before-scale.json`` with it, by
``python tests/test_outputs_unchanged.py > tests/fixtures/outputs-before-scale.json``.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DIGESTS = Path(__file__).resolve().parent / "fixtures" / "outputs-before-scale.json"
MAPS = [
    "examples/b2b-saas.yaml",
    "examples/healthcare-outpatient.yaml",
    "examples/helpdesk.yaml",
    "examples/mortgage.yaml",
    # benchmarks/generate_dense.py 300 tests/fixtures/dense-300.yaml 3: four findings a touchpoint
    "tests/fixtures/dense-300.yaml",
]


def outputs(path: str) -> dict[str, str]:
    """Every output compared, by name, for the map at ``path`` (relative to the root)."""
    import journeygraph
    from journeygraph.actions import action_plan
    from journeygraph.io.theme import load_theme
    from journeygraph.render import View, diagram
    from journeygraph.report import formatter
    from journeygraph.report.downloads import plan_document
    from tests.xlsx_content import workbook_content

    m = journeygraph.load(path)
    result = journeygraph.audit(m)
    plan = action_plan(m, result)
    texts = {
        "audit.json": formatter("json").audit([result]),
        # SARIF names the checkout's folder as the root of relative paths: the
        # digest must not depend on where the repository was cloned.
        "audit.sarif": formatter("sarif").audit([result]).replace(ROOT.as_uri() + "/", "ROOT/"),
        "actions.json": formatter("json").actions(plan),
        "actions.csv": formatter("csv").actions(plan),
        "actions.md": formatter("markdown").actions(plan),
        "actions.xlsx": workbook_content(plan_document(m, plan, "xlsx")),
        "actions-acme.xlsx": workbook_content(
            plan_document(m, plan, "xlsx", theme=load_theme("examples/themes/acme.yaml"))
        ),
    }
    for view in (View.FLOW, View.BLUEPRINT, View.HANDOFFS, View.MATRIX):
        texts[f"{view.value}.dot"] = diagram(view, m, result).dot.source
    return texts


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@pytest.mark.parametrize("path", MAPS)
def test_outputs_are_those_of_before(path: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    expected = json.loads(DIGESTS.read_text(encoding="utf-8"))[path]
    got = {name: _digest(text) for name, text in outputs(path).items()}
    assert got == expected


def test_the_digests_cover_every_map() -> None:
    assert sorted(json.loads(DIGESTS.read_text(encoding="utf-8"))) == sorted(MAPS)


if __name__ == "__main__":
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))  # tests.xlsx_content, as pytest finds it
    print(json.dumps({p: {n: _digest(t) for n, t in outputs(p).items()} for p in MAPS}, indent=1))
