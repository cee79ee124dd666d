"""The Bloom perspective covers the whole schema, in the Browser style's colours."""

from __future__ import annotations

import json

from journeygraph.store import library
from journeygraph.store.bloom import grass_styles, perspective
from journeygraph.store.schema import NODES, RELATIONSHIPS


def test_the_perspective_has_every_label_and_relationship_type() -> None:
    p = perspective()
    # Every label but the push locks, which only pushes use.
    shown = [[label] for label in NODES if label != "PushLock"]
    assert [c["labels"] for c in p["categories"]] == shown
    assert set(p["labels"]) == set(NODES) - {"PushLock"}
    assert [r["name"] for r in p["relationshipTypes"]] == list(RELATIONSHIPS)
    pairs = {
        (s["source"], s["relationshipType"], s["target"]) for s in p["metadata"]["pathSegments"]
    }
    assert ("Finding", "ABOUT", "Stage") in pairs
    assert ("Journey", "HAS_STAGE", "Stage") in pairs


def test_the_perspective_uses_the_browser_colours_and_captions() -> None:
    styles = grass_styles()
    for category in perspective()["categories"]:
        style = styles[f"node.{category['name']}"]
        assert category["color"] == style["color"]
        assert f"{{{category['captionKeys'][0]}}}" == style["caption"]


def test_each_search_phrase_is_a_shipped_query() -> None:
    shipped = {q.phrase: q for q in library.queries("bloom")}
    templates = perspective()["templates"]
    assert {t["text"] for t in templates} == set(shipped)
    for t in templates:
        q = shipped[t["text"]]
        assert t["cypher"] in q.text
        assert not t["cypher"].startswith("//")
        # A phrase names its parameters as the query declares them.
        assert [p["name"] for p in t["params"]] == list(q.parameters)
        assert all(f"${name}" in t["text"] for name in q.parameters)


def test_the_shipped_file_is_the_generated_one() -> None:
    text = library.folder().joinpath("journeygraph.bloom.json").read_text(encoding="utf-8")
    assert json.loads(text) == perspective()
