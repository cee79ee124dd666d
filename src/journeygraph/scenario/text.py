"""The to-be map as text: the map file with the scenario's changes, its comments and layout kept.

ruamel.yaml's round-trip loader reads the map file into mappings and lists
that remember comments, flow style and key order; the scenario's changes are
made on them by the same code as :func:`journeygraph.scenario.apply`, so
everything the scenario does not touch is written back as it was. The
round-trip loader is slow on large maps (23 s for 10,000 touchpoints), which
is why it serves only this command and not loading.
"""

from __future__ import annotations

import io
import itertools
from pathlib import Path
from typing import Any, NamedTuple

from journeygraph.exceptions import MapError
from journeygraph.io.load import loads, read_text
from journeygraph.model import JourneyMap
from journeygraph.scenario.apply import apply, apply_to_data
from journeygraph.scenario.model import Scenario

__all__ = ["YAML_SUFFIXES", "ToBeText", "apply_to_text", "to_be_text"]

YAML_SUFFIXES = (".yaml", ".yml")


class ToBeText(NamedTuple):
    """The to-be map's YAML, the map it reads as, and whether the file's layout was kept."""

    text: str
    to_be: JourneyMap
    layout_kept: bool
    """False when the map is written afresh: it shares parts through YAML anchors
    (``&own`` ... ``*own``, where an edit would change every part that shares it), or
    ruamel.yaml reads or writes it otherwise than the map's own reader."""


def apply_to_text(text: str, scenario: Scenario, *, file: str = "<map>") -> ToBeText:
    """The text of the to-be map, and the map it reads as.

    ``text`` is a map file's YAML; ``file`` names it in messages. The map the
    text reads as is always :func:`~journeygraph.scenario.apply`'s.

    Raises
    ------
    MapError
        When the map or the scenario is not valid, or a change does not fit the map.

    Examples
    --------
    >>> from journeygraph.scenario.load import loads_scenario
    >>> s = loads_scenario("version: 1\\nchanges:\\n  - change_function: {function: b, fte: 2}\\n")
    >>> text = "# as-is\\nversion: 1\\njourney: {id: j}\\nstages: [{id: s}]\\n" \\
    ...        "functions:\\n  - {id: b}  # the back office\\n"
    >>> print(apply_to_text(text, s).text, end="")
    # as-is
    version: 1
    journey: {id: j}
    stages: [{id: s}]
    functions:
      - {id: b, fte: 2} # the back office
    """
    expected = apply(loads(text, file), scenario)  # each problem at its line
    from ruamel.yaml.error import YAMLError

    try:
        written = _edited(text, scenario)
        kept = loads(written, "<to-be map>") == expected
    except (YAMLError, MapError):  # what ruamel reads or writes otherwise than libyaml
        kept = False
    if not kept:
        from journeygraph.io.write import dump_map

        return ToBeText(dump_map(expected), expected, layout_kept=False)
    return ToBeText(written, expected, layout_kept=True)


def _edited(text: str, scenario: Scenario) -> str:
    """The map file's text with the scenario's changes made in its round-trip data."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.brace_single_entry_mapping_in_flow_sequence = True  # [{id: s}] stays as written
    yaml.width = 4096  # long lines stay long: no line of the map is rewrapped
    yaml.indent(mapping=2, sequence=_sequence_indent(text), offset=_offset(text))
    data: Any = yaml.load(text)
    apply_to_data(data, scenario)
    _like_siblings(data)
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def _offset(text: str) -> int:
    """How far a block list's dashes stand in from their key, as the file writes them."""
    lines = text.splitlines()
    for before, line in itertools.pairwise(lines):
        stripped = line.lstrip(" ")
        if stripped.startswith("- ") and before.rstrip().endswith(":"):
            return (len(line) - len(stripped)) - (len(before) - len(before.lstrip(" ")))
    return 2


def _sequence_indent(text: str) -> int:
    return _offset(text) + 2


def _like_siblings(node: Any) -> None:
    """Give each mapping the scenario added the style of the first one in its list.

    A handoff added to a list written ``- {from: a, to: b}`` is written the same way.
    """
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(node, CommentedSeq):
        first = next((item for item in node if isinstance(item, CommentedMap)), None)
        for i, item in enumerate(node):
            if isinstance(item, dict) and not isinstance(item, CommentedMap):
                added = CommentedMap(item)
                if first is not None and first.fa.flow_style():
                    added.fa.set_flow_style()
                node[i] = added
    if isinstance(node, dict):
        for value in node.values():
            _like_siblings(value)
    elif isinstance(node, list):
        for item in node:
            _like_siblings(item)


def to_be_text(map_file: str | Path, scenario: Scenario) -> ToBeText:
    """The to-be map's YAML: a YAML map file edited where the scenario changes it, any
    other form of map (a workbook, CSV folder, GraphML) written afresh.

    Examples
    --------
    >>> from journeygraph.scenario.load import load_scenario
    >>> s = load_scenario("examples/scenarios/b2b-saas-agreed-handoff.yaml")
    >>> to_be_text("examples/b2b-saas.yaml", s).text.splitlines()[0]
    '# yaml-language-server: $schema=../schema/journeymap.schema.json'
    """
    path = Path(map_file)
    if path.suffix.lower() in YAML_SUFFIXES:
        return apply_to_text(read_text(path), scenario, file=str(path))
    from journeygraph.io.any import load_any
    from journeygraph.io.write import dump_map

    to_be = apply(load_any(path), scenario)
    return ToBeText(dump_map(to_be), to_be, layout_kept=False)
