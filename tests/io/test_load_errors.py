"""Every kind of bad input: one message each, at its file:line:col."""

from __future__ import annotations

from pathlib import Path

import pytest

from journeygraph import MapError, load, load_config, loads

GOOD = """\
version: 1
journey: {id: j, name: J}
stages:
  - {id: awareness}
  - {id: consideration}
functions:
  - {id: sdr}
touchpoints:
  - id: ad
    stage: awareness
    owners: {R: sdr}
    next: [demo]
  - id: demo
    stage: consideration
    exit: true
"""


def problems(text: str) -> list[str]:
    with pytest.raises(MapError) as caught:
        loads(text, "m.yaml")
    return [str(p) for p in caught.value.problems]


def test_the_good_map_loads() -> None:
    assert loads(GOOD, "m.yaml").touchpoints[1].exit is True


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param(
            "    owners: {R: sdr}",
            "    ownres: {R: sdr}",
            "m.yaml:11:5: unknown key 'ownres' in touchpoint 'ad'; did you mean 'owners'?",
            id="misspelt-key",
        ),
        pytest.param(
            "  - {id: consideration}",
            "  - {id: consideration, colour: red}",
            "m.yaml:5:25: unknown key 'colour' in stage 'consideration'; "
            "allowed: id, name, description, metrics",
            id="unknown-key",
        ),
        pytest.param(
            "    stage: consideration",
            "    stage: consideraton",
            "m.yaml:14:12: unknown stage 'consideraton'; did you mean 'consideration'?",
            id="unknown-stage",
        ),
        pytest.param(
            "    owners: {R: sdr}",
            "    owners: {R: sdrr}",
            "m.yaml:11:17: unknown function 'sdrr'; did you mean 'sdr'?",
            id="unknown-function",
        ),
        pytest.param(
            "    next: [demo]",
            "    next: [dmeo]",
            "m.yaml:12:12: unknown touchpoint 'dmeo'; did you mean 'demo'?",
            id="unknown-touchpoint",
        ),
        pytest.param(
            "  - {id: sdr}",
            "  - {id: sdr, department: sales}",
            "m.yaml:7:27: unknown department 'sales'; no departments are defined",
            id="unknown-department",
        ),
        pytest.param(
            "    exit: true\n",
            "    exit: true\n  - {id: ad, stage: awareness, exit: true}\n",
            "m.yaml:16:10: duplicate touchpoint id 'ad'; ids must be unique "
            "(first defined at line 9)",
            id="duplicate-id",
        ),
        pytest.param(
            "    stage: awareness\n",
            "",
            "m.yaml:9:5: missing required key 'stage' in touchpoint 'ad'",
            id="missing-key",
        ),
        pytest.param(
            "    exit: true",
            "    exit: maybe",
            "m.yaml:15:11: 'exit' must be true or false, not 'maybe' in touchpoint 'demo'",
            id="wrong-type-bool",
        ),
        pytest.param(
            "  - {id: sdr}",
            "  - {id: sdr, name: 7}",
            "m.yaml:7:21: 'name' must be text, not the number 7 (quote it: '7') in function 'sdr'",
            id="wrong-type-number-for-text",
        ),
        pytest.param(
            "    next: [demo]",
            "    next: [{to: demo, weight: -1}]",
            "m.yaml:12:31: 'weight' must be more than 0: got -1 in touchpoint 'ad'",
            id="out-of-range",
        ),
        pytest.param(
            "version: 1",
            "version: 2",
            "m.yaml:1:10: unsupported format version 2; this journeygraph reads version 1",
            id="wrong-version",
        ),
        pytest.param(
            "    owners: {R: sdr}",
            "    owners: {R: sdr, R: sdr}",
            "m.yaml:11:22: duplicate key 'R'; keep one",
            id="duplicate-yaml-key",
        ),
        pytest.param(
            "    next: [demo]",
            "    next: [demo",
            "m.yaml:13:7: invalid YAML: did not find expected ',' or ']' (while parsing a "
            "flow sequence that starts at line 12, column 11)",
            id="invalid-yaml",
        ),
        pytest.param(
            "    exit: true\n",
            "    exit: true\naudit:\n  disable: [dead-ends]\n",
            "m.yaml:17:13: unknown rule 'dead-ends'; did you mean 'dead-end'?",
            id="unknown-rule-in-audit",
        ),
        pytest.param(
            "    exit: true\n",
            "    exit: true\naudit:\n  severity: {loop: critical}\n",
            "m.yaml:17:20: 'loop' must be one of 'info', 'low', 'medium' or 'high', not "
            "'critical' in 'audit'",
            id="unknown-severity",
        ),
        pytest.param(
            "    exit: true\n",
            "    exit: true\naudit:\n  waivers: [{rule: loop, entities: [ad]}]\n",
            "m.yaml:17:13: missing required key 'reason' in 'audit'",
            id="waiver-without-reason",
        ),
        pytest.param(
            "    exit: true\n",
            "    exit: true\n---\nversion: 1\n",
            "m.yaml:16:1: a map file holds one YAML document; remove the '---'",
            id="two-documents",
        ),
    ],
)
def test_bad_input(old: str, new: str, expected: str) -> None:
    assert old in GOOD
    assert problems(GOOD.replace(old, new, 1)) == [expected]


def test_every_problem_is_reported_at_once() -> None:
    text = (
        GOOD.replace("    owners: {R: sdr}", "    ownres: {R: sdr}")
        .replace("    stage: consideration", "    stage: consideraton")
        .replace("    exit: true", "    exit: maybe")
    )
    found = problems(text)
    assert [p.split(": ")[0] for p in found] == ["m.yaml:11:5", "m.yaml:14:12", "m.yaml:15:11"]


def test_references_are_checked_even_when_other_entries_are_invalid() -> None:
    text = GOOD.replace("    next: [demo]", "    next: [nowhere]").replace(
        "    exit: true", "    exit: maybe"
    )
    found = problems(text)
    assert any("unknown touchpoint 'nowhere'" in p for p in found)
    assert any("'exit' must be true or false" in p for p in found)


def test_empty_file() -> None:
    assert problems("") == ["m.yaml:1:1: the file is empty; a journey map starts with 'version: 1'"]


def test_not_a_mapping() -> None:
    assert problems("- a\n- b\n") == [
        "m.yaml:1:1: a journey map must be a YAML mapping (key: value lines), not a list"
    ]


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(MapError, match="no such file; check the path"):
        load(tmp_path / "nope.yaml")


def test_not_utf8(tmp_path: Path) -> None:
    bad = tmp_path / "latin1.yaml"
    bad.write_bytes(GOOD.encode() + "  # caf\xe9\n".encode("latin-1"))
    with pytest.raises(
        MapError, match=r"latin1.yaml:16:8: byte 0xe9 is not UTF-8; save the file as UTF-8"
    ):
        load(bad)


def test_control_character(tmp_path: Path) -> None:
    assert problems(GOOD.replace("{id: j, name: J}", '{id: j, name: "J\x07"}')) == [
        "m.yaml:2:26: character U+0007 is not allowed in YAML; remove it, or write it "
        'escaped inside double quotes ("\\u0007")'
    ]


def test_yaml_12_keeps_words_as_text() -> None:
    m = loads(
        GOOD.replace("{id: awareness}", "{id: no, name: on}").replace(
            "stage: awareness", "stage: no"
        ),
        "m.yaml",
    )
    assert (m.stages[0].id, m.stages[0].name) == ("no", "on")


def test_names_hold_any_text() -> None:
    text = GOOD.replace(
        "journey: {id: j, name: J}",
        "journey:\n  id: j\n  name: |-\n"
        '    <script>alert("x")</script>\n'
        "    {{ braces }} 'quotes' 顧客",
    )
    assert loads(text, "m.yaml").journey.name == (
        "<script>alert(\"x\")</script>\n{{ braces }} 'quotes' 顧客"
    )


def test_config_file_problems_point_into_the_config(tmp_path: Path) -> None:
    config = tmp_path / "audit.yaml"
    config.write_text("disable: [loop]\nseverity:\n  dead-end: severe\n", encoding="utf-8")
    with pytest.raises(MapError) as caught:
        load_config(config)
    assert [str(p) for p in caught.value.problems] == [
        f"{config}:3:13: 'dead-end' must be one of 'info', 'low', 'medium' or 'high', "
        "not 'severe' in 'severity'"
    ]


def test_python_api_checks_references_too() -> None:
    from journeygraph import JourneyMap

    with pytest.raises(ValueError, match=r"touchpoints\[0\]\.stage: unknown stage 'x'"):
        JourneyMap.model_validate(
            {
                "version": 1,
                "journey": {"id": "j"},
                "stages": [{"id": "s"}],
                "touchpoints": [{"id": "t", "stage": "x"}],
            }
        )
