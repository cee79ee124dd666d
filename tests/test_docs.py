"""The generated docs are up to date, and the schema validates the examples."""

from __future__ import annotations

import importlib.machinery
import importlib.util
import json
from pathlib import Path
from types import ModuleType

import jsonschema
import pytest
import yaml

from tests.conftest import EXAMPLES, ROOT


def _update_docs() -> ModuleType:
    path = str(ROOT / "scripts" / "update-docs")
    loader = importlib.machinery.SourceFileLoader("update_docs", path)
    spec = importlib.util.spec_from_loader("update_docs", loader)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generated_docs_are_current() -> None:
    stale = [
        str(path.relative_to(ROOT))
        for path, text in _update_docs().generated().items()
        if not path.exists() or path.read_text(encoding="utf-8") != text
    ]
    assert not stale, f"run `make docs` to regenerate {stale}"


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.name)
def test_schema_accepts_the_examples(example: Path) -> None:
    schema = json.loads((ROOT / "schema" / "journeymap.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(yaml.safe_load(example.read_text(encoding="utf-8")), schema)


def test_schema_rejects_unknown_keys() -> None:
    schema = json.loads((ROOT / "schema" / "journeymap.schema.json").read_text(encoding="utf-8"))
    bad = {"version": 1, "journey": {"id": "j"}, "stages": [{"id": "s", "colour": "red"}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)
