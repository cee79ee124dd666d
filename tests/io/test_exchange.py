"""Round trips: YAML -> YAML, YAML -> GraphML -> map; GEXF and Mermaid are written."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

import journeygraph
from journeygraph import JourneyMap
from journeygraph.io.graphml import _NOT_XML, read_graphml, write_gexf, write_graphml
from journeygraph.io.write import dump_map
from tests.conftest import EXAMPLES
from tests.test_properties import NAMES, journey_maps

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))


@pytest.mark.parametrize("example", EXAMPLE_FILES, ids=lambda p: p.name)
def test_examples_round_trip(example: Path, tmp_path: Path) -> None:
    m = journeygraph.load(example)
    assert journeygraph.loads(dump_map(m)) == m
    write_graphml(m, tmp_path / "m.graphml")
    assert read_graphml(tmp_path / "m.graphml") == m
    write_gexf(m, tmp_path / "m.gexf")
    assert "<gexf" in (tmp_path / "m.gexf").read_text(encoding="utf-8")


def _with_names(data: dict[str, Any], name: str) -> JourneyMap:
    data["journey"]["name"] = name
    if data["touchpoints"]:
        data["touchpoints"][0]["name"] = name
        data["touchpoints"][0]["channel"] = name
    data["stages"][0]["description"] = name
    marked = [s for t in data["touchpoints"] for s in t["next"] if isinstance(s, dict)]
    if marked and name.strip():
        marked[0]["reason"] = name
    return JourneyMap.model_validate(data)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(journey_maps(), NAMES)
def test_random_maps_round_trip(tmp_path: Path, data: dict[str, Any], name: str) -> None:
    m = _with_names(data, name)
    assert journeygraph.loads(dump_map(m)) == m
    if _NOT_XML.search(name):  # XML 1.0 cannot hold it: refused, and nothing written
        with pytest.raises(journeygraph.JourneyGraphError, match=r"\(XML 1.0\) cannot hold"):
            write_graphml(m, tmp_path / "refused.graphml")
        assert not (tmp_path / "refused.graphml").exists()
        return
    write_graphml(m, tmp_path / "r.graphml")
    assert read_graphml(tmp_path / "r.graphml") == m


def test_text_xml_cannot_hold_is_refused_by_name(tmp_path: Path) -> None:
    data: dict[str, Any] = {
        "version": 1,
        "journey": {"id": "j"},
        "stages": [{"id": "s"}],
        "touchpoints": [{"id": "a", "stage": "s", "name": "bell\x07"}],
    }
    with pytest.raises(journeygraph.JourneyGraphError, match="U\\+0007, which GraphML"):
        write_graphml(JourneyMap.model_validate(data), tmp_path / "x.graphml")


def test_graphml_keeps_every_attribute(tmp_path: Path) -> None:
    m = journeygraph.load(EXAMPLES / "b2b-saas.yaml")
    write_graphml(m, tmp_path / "m.graphml")
    text = (tmp_path / "m.graphml").read_text(encoding="utf-8")
    for key in ("label", "stage", "channel", "layer", "metrics", "role", "weight", "department"):
        assert re.search(rf'attr\.name="{key}"', text), key
    audit = re.search(r'<data key="audit">(.*?)</data>', text)
    assert audit is not None
    assert json.loads(audit.group(1).replace("&quot;", '"'))["waivers"][0]["rule"] == "handoff-gap"


def test_foreign_graphml_is_refused(tmp_path: Path) -> None:
    import networkx as nx

    nx.write_graphml(nx.path_graph(3), tmp_path / "other.graphml")
    with pytest.raises(journeygraph.MapError, match="not GraphML written by journeygraph"):
        read_graphml(tmp_path / "other.graphml")


CYCLING = """\
version: 1
journey: {id: cycling}
stages: [{id: buy}, {id: keep}]
touchpoints:
  - {id: quote, stage: buy, entry: true, next: [renew]}
  - id: renew
    stage: keep
    exit: true
    next: [{to: quote, weight: 2, cycle: retention, reason: "switch <product> & stay"}]
"""


def test_intended_cycles_survive_every_format(tmp_path: Path) -> None:
    from journeygraph.io.workbook import (
        read_csv_folder,
        read_workbook,
        write_csv_folder,
        write_workbook,
    )
    from journeygraph.store.rows import map_of, rows_of

    m = journeygraph.loads(CYCLING)
    step = m.touchpoints[1].next[0]
    assert (step.cycle, step.reason) == ("retention", "switch <product> & stay")
    write_graphml(m, tmp_path / "m.graphml")
    write_workbook(m, tmp_path / "m.xlsx")
    write_csv_folder(m, tmp_path / "csv")
    assert "cycle: retention" in dump_map(m)
    assert "retention" in (tmp_path / "csv" / "transitions.csv").read_text(encoding="utf-8")
    copies = [
        journeygraph.loads(dump_map(m)),
        read_graphml(tmp_path / "m.graphml"),
        read_workbook(tmp_path / "m.xlsx"),
        read_csv_folder(tmp_path / "csv"),
        map_of(rows_of(m)),
    ]
    for copy in copies:
        assert copy == m
        [loop] = [f for f in journeygraph.audit(copy).findings if f.rule == "loop"]
        assert loop.details["kind"] == "intended"
        assert loop.message.startswith("Intended cycle retention:")
