"""One case file per kind of change, run by one runner.

A case file (``cases/<kind>.yaml``) holds ``kind``, a ``map`` fragment (as in
the rule case files: no ``version`` or ``journey``) and ``cases``, each with
a ``scenario`` (the whole file's text, read as ``scenario.yaml``) and either
``to_be`` (what the to-be map holds: whole lists of ``functions``,
``handoffs`` or ``opportunities``, or some keys of some ``touchpoints`` by
id) or ``errors`` (every problem, ``line:col: message``, in order). Each case
runs twice: through :func:`apply` on the loaded map, and through the text
route of ``scenario apply``, which must give the same map.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from journeygraph.exceptions import MapError
from journeygraph.io.load import loads
from journeygraph.model import JourneyMap
from journeygraph.scenario import CHANGE_KINDS, apply, loads_scenario
from journeygraph.scenario.text import apply_to_text
from journeygraph.testing import fragment

CASES = Path(__file__).parent / "cases"
_HEADER = "\nversion: 1\njourney: {id: case, name: Case}\n"


def _case_files() -> dict[str, dict[str, Any]]:
    return {
        p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(CASES.glob("*.yaml"))
    }


def _cases() -> list[Any]:
    return [
        pytest.param(spec["map"], case, id=f"{kind}:{case['name']}")
        for kind, spec in _case_files().items()
        for case in spec["cases"]
    ]


def _plain(value: Any) -> Any:
    return json.loads(json.dumps(value))


def _empty(value: Any) -> bool:
    return value in (None, [], {})


def to_be_problems(to_be: JourneyMap, expected: dict[str, Any]) -> list[str]:
    """How ``to_be`` differs from what the case expects of it."""
    dump = _plain(to_be.model_dump(by_alias=True, exclude_defaults=True))
    problems = []
    for section, want in expected.items():
        if section == "touchpoints":
            by_id = {t["id"]: t for t in dump.get("touchpoints", [])}
            for ident, keys in want.items():
                for key, value in keys.items():
                    got = by_id[ident].get(key)
                    if not (got == value or (_empty(value) and _empty(got))):
                        problems.append(f"touchpoint {ident} {key}: {got!r}, expected {value!r}")
        else:
            got = dump.get(section, [])
            if got != want:
                problems.append(f"{section}: {got!r}, expected {want!r}")
    return problems


def _errors(run: Callable[[], object]) -> list[str] | None:
    """The problems ``run`` raises, as ``file:line:col: message``; None if it raises none."""
    try:
        run()
    except MapError as err:
        return [str(p) for p in err.problems]
    return None


def case_problems(map_text: str, case: dict[str, Any]) -> list[str]:
    """Everything in which applying the case's scenario differs from what the case says."""
    map_text = case.get("map", map_text)
    as_is = fragment(map_text)
    text = case["scenario"]
    errors = _errors(lambda: apply(as_is, loads_scenario(text, "scenario.yaml")))
    if errors is not None:
        expected = [f"scenario.yaml:{e}" for e in case.get("errors", [])]
        if errors != expected:
            return [f"errors {errors!r}, expected {expected!r}"]
        # The text route of `scenario apply` finds the same problems.
        again = _errors(
            lambda: apply_to_text(map_text + _HEADER, loads_scenario(text, "scenario.yaml"))
        )
        return [] if again == errors else [f"the text route says {again!r}"]
    if "errors" in case:
        return [f"applied, expected errors {case['errors']!r}"]
    scenario = loads_scenario(text, "scenario.yaml")
    to_be = apply(as_is, scenario)
    problems = to_be_problems(to_be, case["to_be"])
    written = apply_to_text(map_text + _HEADER, scenario, file="case.yaml")
    if not written.layout_kept or loads(written.text) != to_be:
        problems.append("the text route gives another map")
    return problems


@pytest.mark.parametrize(("map_text", "case"), _cases())
def test_case(map_text: str, case: dict[str, Any]) -> None:
    assert case_problems(map_text, case) == []


def test_every_kind_has_passing_and_failing_cases() -> None:
    files = _case_files()
    assert set(files) == set(CHANGE_KINDS)
    for kind, spec in files.items():
        assert spec["kind"] == kind
        assert any("to_be" in c for c in spec["cases"]), f"{kind} has no passing case"
        assert any("errors" in c for c in spec["cases"]), f"{kind} has no failing case"


def test_the_runner_fails_on_a_wrong_expectation() -> None:
    spec = _case_files()["move_role"]
    passing = next(c for c in spec["cases"] if "to_be" in c)
    wrong = {**passing, "to_be": {"touchpoints": {"check": {"owners": {"R": ["nobody"]}}}}}
    assert case_problems(spec["map"], wrong)
    failing = next(c for c in spec["cases"] if "errors" in c)
    assert case_problems(spec["map"], {**failing, "errors": ["1:1: something else"]})
    assert case_problems(spec["map"], {**passing, "errors": ["1:1: an error"]}) != []
