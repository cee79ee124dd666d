"""The parse for auditing against the full parse (issue 30, loading).

`parse_yaml(..., every_position=False)` builds the data by its own fast paths
and keeps only the positions of the list items an audit points at, packed in
`ListedPositions`. It must give exactly the data and the problems of the full
parse, and each position it keeps must be the full parse's.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeygraph.exceptions import MapError
from journeygraph.io.source import SECTIONS, KeyPath, SourceMap, is_entity_path
from journeygraph.io.yaml import parse_yaml

ROOT = Path(__file__).resolve().parents[2]
MAPS = [
    *sorted((ROOT / "examples").glob("*.yaml")),
    ROOT / "tests/fixtures/dense-300.yaml",
]


def _outcome(text: str, every_position: bool) -> tuple[str, Any, SourceMap | None]:
    try:
        data, source = parse_yaml(text, "m.yaml", every_position=every_position)
    except MapError as err:
        return "refused", str(err), None
    # repr: nan is not equal to itself, and the order of keys counts.
    return "read", repr(data), source


def _same_as_full(text: str) -> SourceMap | None:
    """Check the audit's parse of ``text`` against the full parse; the full source map."""
    lean_kind, lean, lean_source = _outcome(text, every_position=False)
    full_kind, full, full_source = _outcome(text, every_position=True)
    assert (lean_kind, lean) == (full_kind, full)
    if lean_source is None or full_source is None:
        return None
    assert lean_source.values.get(()) == full_source.values.get(())
    listed = lean_source.listed
    assert listed is not None
    for path, position in full_source.values.items():
        kept = listed.get(path)
        assert kept is None or kept == position, path
    for path in [*full_source.values, *full_source.keys]:
        assert lean_source.locate(path) == full_source.locate(path), path
        assert lean_source.locate(path, key=True) == full_source.locate(path, key=True), path
    return full_source


def _entity_paths(source: SourceMap) -> list[KeyPath]:
    return [p for p in source.values if p and is_entity_path(p)]


@pytest.mark.parametrize("path", MAPS, ids=lambda p: p.name)
def test_maps_read_alike_and_keep_every_entity_position(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    full = _same_as_full(text)
    assert full is not None
    lean = parse_yaml(text, "m.yaml", every_position=False)[1]
    assert lean.listed is not None
    entities = _entity_paths(full)
    assert entities
    # What an audit points at is there without a second parse.
    assert all(lean.listed.get(p) == full.values[p] for p in entities)
    assert lean.reparse is not None
    assert not lean.keys


_ODD = [
    # anchors, aliases and merge keys, on entities and inside them
    "stages:\n  - &s {id: a}\n  - *s\ntouchpoints:\n  - {id: t, next: [&n u, *n]}\n",
    "base: &b {stage: s}\ntouchpoints:\n  - {<<: *b, id: t, next: [u]}\n  - <<: [*b]\n    id: v\n",
    "touchpoints: &all\n  - {id: t}\nx: *all\n",
    "touchpoints:\n  - &t {id: t, next: [a, b]}\n  - {id: u, next: &n [c]}\n  - {next: *n}\n",
    # tags, numbers and keywords
    "stages: [{id: !!str 1, n: !!int 0x1F, f: !!float .5, b: !!bool true, z: !!null ~}]\n",
    "stages: [{id: !custom x}]\n",
    "a: [1, -2, +3, 0o17, 0x1f, 1.5e3, .inf, -.Inf, .NaN, ~, null, true, FALSE, no, on, 0E0]\n",
    "a: " + "9" * 5000 + "\n",
    "a: !!int " + "9" * 5000 + "\n",
    "touchpoints: [{id: t, next: [" + "1" * 5000 + "]}]\n",
    # keys that are not text, merge keys of the wrong kind, duplicates
    "touchpoints:\n  - {id: t, [k]: v, {a: b}: c}\n",
    "touchpoints:\n  - {<<: 1, id: t}\n",
    "touchpoints:\n  - {id: t, id: u, next: [a], next: [b, c, d]}\n",
    "stages: [a]\nstages: [b, c]\n",
    "audit:\n  waivers:\n    - {rule: loop, entities: [a], reason: r}\n  waivers: []\n",
    # sections in other shapes
    "stages: {a: 1}\ntouchpoints: t\nfunctions: [[a, b], c]\naudit: [1]\n",
    "touchpoints:\n  - next: {to: a}\n  - next: a\n  - [next]\n",
    "- a\n- b\n",
    "just text\n",
    "",
    "# only a comment\n",
    "---\na: 1\n---\nb: 2\n",
    "&r {stages: [{id: s}]}\n",
    "x: *nowhere\n",
    # line breaks editors do not count, and carriage returns
    'stages:\n  - {id: "a\x85b"}\n  - {id: c}\ntouchpoints: [{id: t, next: [u, v]}]\n',
    "stages:\r\n  - {id: a}\r\n  - {id: b}\r\ntouchpoints:\r\n  - {id: t, next: [u]}\r\n",
    "stages:\n  - {id: a}\u2028x\n",
    # invalid YAML
    "stages: [a\n",
    "a:\n\t- b\n",
    "a: b: c\n",
    "a: 'unclosed\n",
    "a: \x07\n",
]


@pytest.mark.parametrize("text", _ODD)
def test_odd_yaml_reads_alike(text: str) -> None:
    _same_as_full(text)


_SCALARS = st.sampled_from(
    [
        # plain text most often, as in a map
        *["a", "t1", "Touchpoint 3", "f2"] * 4,
        "no",
        "~",
        "null",
        "",
        "1",
        "-1.5",
        "0x1F",
        ".inf",
        "1e3",
        "true",
        "'q'",
        '"d\\tq"',
        "!!str 1",
        "!!int 3",
        "!!float x",
        "!x y",
        "*a1",
        "&a1 v",
        "&a1 [x]",
        "<<",
        "'<<'",
    ]
)
_KEYS = st.sampled_from(["id", "name", "next", "stage", "to", "<<", "waivers", "x", "1", "true"])


def _flow(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in value.items()) + "}"
    return str(value)


_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_KEYS, inner, max_size=4),
    max_leaves=12,
)
_SECTION_KEYS = st.sampled_from([*sorted(SECTIONS), "audit", "version", "<<", "x"])


@st.composite
def _maps(draw: st.DrawFn) -> str:
    """YAML text shaped like a map: block sections of flow or block items, with the
    odd anchor, alias, tag, merge key or duplicate key anywhere."""
    lines = []
    unique = draw(st.booleans()) or draw(st.booleans())
    for key in draw(st.lists(_SECTION_KEYS, max_size=6, unique=unique)):
        items = draw(st.lists(_VALUES, max_size=4))
        if draw(st.booleans()):
            lines.append(f"{key}: {_flow(items)}")
            continue
        lines.append(f"{key}:")
        for item in items:
            if isinstance(item, dict) and item and draw(st.booleans()):
                first, *rest = (f"{k}: {_flow(v)}" for k, v in item.items())
                lines.append(f"  - {first}")
                lines.extend(f"    {line}" for line in rest)
            else:
                lines.append(f"  - {_flow(item)}")
    return "\n".join(lines) + "\n"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_maps())
def test_generated_maps_read_alike(text: str) -> None:
    _same_as_full(text)
