"""The scenario schema agrees with the loader: it accepts what loads and refuses what does not."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml

from journeygraph.docs import scenario_schema_json
from journeygraph.scenario import load_scenario
from tests.conftest import ROOT
from tests.scenario.test_scenario_cases import _case_files

SCHEMA = json.loads((ROOT / "schema" / "scenario.schema.json").read_text(encoding="utf-8"))


def test_the_shipped_schema_is_the_generated_one() -> None:
    assert json.loads(scenario_schema_json()) == SCHEMA


def test_the_example_loads_and_fits_the_schema() -> None:
    path = ROOT / "examples" / "scenarios" / "b2b-saas-agreed-handoff.yaml"
    assert [c.kind for c in load_scenario(path).changes] == [
        "add_handoff",
        "add_handoff",
        "change_function",
    ]
    jsonschema.validate(yaml.safe_load(path.read_text(encoding="utf-8")), SCHEMA)


def test_every_passing_case_fits_the_schema() -> None:
    for spec in _case_files().values():
        for case in spec["cases"]:
            if "to_be" in case:
                jsonschema.validate(yaml.safe_load(case["scenario"]), SCHEMA)


@pytest.mark.parametrize(
    "changes",
    [
        [{"remove_function": "a", "add_transition": {"from": "x", "to": "y"}}],
        [{}],
        [{"move_role": {"touchpoint": "t", "role": "R", "to": "f", "surprise": 1}}],
    ],
    ids=["two-kinds-in-one", "no-kind", "unknown-key"],
)
def test_the_schema_refuses_what_the_loader_refuses(changes: list[object]) -> None:
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"version": 1, "changes": changes}, SCHEMA)
