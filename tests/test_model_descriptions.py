"""Each field's description is the docstring written under it, as pydantic reads them.

The model reads its attribute docstrings itself, once a module (``_Model``'s
``__pydantic_init_subclass__``), rather than through pydantic's
``use_attribute_docstrings``, which tokenizes and parses each class's source apart
at import. These tests hold the two to the same result, pydantic's own reader
being the independent one.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from pydantic import BaseModel, ConfigDict
from pydantic._internal._docs_extraction import extract_docstrings_from_cls

import journeygraph.model
import journeygraph.scenario.model
from journeygraph.model import _Model


def _models() -> list[type[BaseModel]]:
    modules = (journeygraph.model, journeygraph.scenario.model)
    found = {
        v: None
        for module in modules
        for v in vars(module).values()
        if isinstance(v, type) and issubclass(v, _Model) and v is not _Model
    }
    return list(found)


def _declared_by(model: type[BaseModel], name: str) -> type:
    return next(c for c in model.__mro__ if name in vars(c).get("__annotations__", {}))


@pytest.mark.parametrize("model", _models(), ids=lambda m: m.__name__)
def test_every_field_is_described_as_pydantic_reads_its_docstring(model: type[BaseModel]) -> None:
    for name, info in model.model_fields.items():
        # Read from the class that declares the field (an inherited one is copied).
        expected = extract_docstrings_from_cls(_declared_by(model, name), use_inspect=True)
        assert info.description == expected.get(name), f"{model.__name__}.{name}"


def test_the_map_s_fields_are_described() -> None:
    from journeygraph.model import JourneyMap, Stage, Touchpoint

    assert Stage.model_fields["id"].description == "Identifier, unique among entities of its kind."
    assert Touchpoint.model_fields["entry"].description == "Customers may start the journey here."
    described = [info.description for info in JourneyMap.model_fields.values()]
    assert all(described), described


def test_a_model_made_in_a_function_is_described_too() -> None:
    class Local(_Model):
        size: int = 1
        """How big, in units."""
        colour: str = "red"

    class Smaller(Local):
        size: int = 0
        """Smaller still."""

    assert Local.model_fields["size"].description == "How big, in units."
    assert Local.model_fields["colour"].description is None
    assert Smaller.model_fields["size"].description == "Smaller still."
    assert Local.model_json_schema()["properties"]["size"]["description"] == "How big, in units."


def test_a_model_built_at_once_has_its_descriptions_in_its_schema() -> None:
    # Without defer_build the schema is built before the descriptions are read:
    # it is built again with them.
    class Eager(_Model):
        model_config = ConfigDict(defer_build=False)

        size: int = 1
        """How big, in units."""

    assert Eager.model_json_schema()["properties"]["size"]["description"] == "How big, in units."


def test_importing_the_model_reads_no_class_source_through_pydantic() -> None:
    # pydantic's reader (inspect's source search, a tokenizing of each class's block,
    # two parses) cost a seventh of `validate`: the model's classes never call it.
    probe = (
        "import pydantic._internal._fields as fields, pydantic._internal._docs_extraction as docs\n"
        "calls = []\n"
        "original = docs.extract_docstrings_from_cls\n"
        "spy = lambda *a, **k: calls.append(a) or original(*a, **k)\n"
        "fields.extract_docstrings_from_cls = docs.extract_docstrings_from_cls = spy\n"
        "import journeygraph.model, journeygraph.scenario.model\n"
        "print(len(calls))"
    )
    assert _printed(probe) == "0"


def test_the_descriptions_read_by_make_docs_are_used_while_the_source_is_unchanged() -> None:
    # Loading them (model_docstrings.json) takes a tenth of the time of parsing the
    # model's source: read again when the source has changed since `make docs`.
    from journeygraph.model import _read_before, parsed_docstrings

    with open(journeygraph.model.__file__, encoding="utf-8") as source:
        text = source.read()
    assert _read_before(text) == parsed_docstrings(text)
    assert _read_before(text + "\n") is None
    probe = (
        "import ast\nparsed = []\noriginal = ast.parse\n"
        "ast.parse = lambda source, *a, **k: parsed.append(source) or original(source, *a, **k)\n"
        "import journeygraph.model\n"
        "print(sum('class JourneyMap(' in str(s) for s in parsed))"
    )
    assert _printed(probe) == "0"


def _printed(probe: str) -> str:
    """What ``python -c PROBE`` prints, in a fresh process (imports counted from none)."""
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    return done.stdout.strip()
