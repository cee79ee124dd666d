"""Reading a scenario file, every problem at its line; and the to-be map of a map and a file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from journeygraph.exceptions import MapError, Problem
from journeygraph.io.load import read_text, validation_problem
from journeygraph.io.yaml import parse_yaml
from journeygraph.model import JourneyMap
from journeygraph.scenario.apply import apply
from journeygraph.scenario.model import Scenario

__all__ = ["is_scenario", "load_scenario", "load_to_be", "loads_scenario"]


def load_scenario(path: str | Path) -> Scenario:
    """Read a scenario from a YAML file.

    Raises
    ------
    MapError
        With every problem found, each at its ``file:line:col``.

    Examples
    --------
    >>> import tempfile, os
    >>> with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
    ...     _ = f.write("version: 1\\nchanges:\\n  - remove_function: sales\\n")
    >>> load_scenario(f.name).changes[0].kind
    'remove_function'
    >>> os.unlink(f.name)
    """
    return loads_scenario(read_text(path), str(path))


def loads_scenario(text: str, file: str = "<scenario>") -> Scenario:
    """Read a scenario from YAML text; ``file`` names it in messages.

    Examples
    --------
    >>> loads_scenario("version: 1\\nchanges:\\n  - move_role: {touchpoint: a, rol: R, to: b}\\n",
    ...                "s.yaml")
    Traceback (most recent call last):
    ...
    journeygraph.exceptions.MapError: s.yaml:3:16: missing required key 'role' in 'changes'
    s.yaml:3:32: unknown key 'rol' in 'changes'; did you mean 'role'?
    """
    data, source = parse_yaml(text, file)
    if not isinstance(data, dict):
        what = "the file is empty" if data is None else "it is not a mapping of keys to values"
        raise MapError(
            [
                Problem(
                    f"{what}; a scenario starts with 'version: 1' and lists its 'changes'",
                    source.locate(()),
                )
            ]
        )
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as err:
        raise MapError(
            validation_problem(e, data, source, Scenario) for e in err.errors()
        ) from None
    scenario._source = source
    return scenario


def is_scenario(data: Any) -> bool:
    """Whether parsed YAML is a scenario (it lists ``changes`` and no ``stages``), not a map.

    Examples
    --------
    >>> is_scenario({"version": 1, "changes": []}), is_scenario({"version": 1, "stages": []})
    (True, False)
    """
    return isinstance(data, dict) and "changes" in data and "stages" not in data


def load_to_be(m: JourneyMap, path: str | Path) -> JourneyMap:
    """The to-be map ``path`` gives: a scenario applied to ``m``, or a to-be map written whole.

    A map written whole must be of ``m``'s journey (the same journey id).

    Raises
    ------
    MapError
        When the scenario or the map is not valid, or the map is of another journey.

    Examples
    --------
    >>> from journeygraph.io.load import load
    >>> as_is = load("examples/b2b-saas.yaml")
    >>> load_to_be(as_is, "examples/b2b-saas.yaml") == as_is
    True
    """
    file = Path(path)
    if file.suffix.lower() in (".yaml", ".yml"):
        text = read_text(file)
        data, _ = parse_yaml(text, str(file), every_position=False)
        if is_scenario(data):
            return apply(m, loads_scenario(text, str(file)))
    from journeygraph.io.any import load_any

    to_be = load_any(file)
    if to_be.journey.id != m.journey.id:
        # A to-be map redesigns the same journey: another one is the wrong file.
        where = to_be.source.locate(("journey", "id")) if to_be.source else None
        said = "" if where else f"{file}: "
        raise MapError(
            [
                Problem(
                    f"{said}the to-be map is journey {to_be.journey.id!r}, the as-is "
                    f"{m.journey.id!r}; a to-be map redesigns the same journey (keep its id)",
                    where,
                )
            ]
        )
    return to_be
