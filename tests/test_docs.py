"""The generated docs are up to date, and the schema validates the examples."""

from __future__ import annotations

import importlib.machinery
import importlib.util
import json
import re
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


DOCUMENTS = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *sorted((ROOT / "docs").glob("*.md"))]


def _anchors(page: Path) -> set[str]:
    """The anchors GitHub gives the headings of ``page``."""
    text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.S)
    headings = re.findall(r"^#{1,6} (.+)$", text, flags=re.M)
    return {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-") for h in headings}


@pytest.mark.parametrize("page", DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_link_resolves(page: Path) -> None:
    """Every relative link of the README, CONTRIBUTING and docs/ names a file and heading there."""
    text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.S)
    broken = []
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"[a-z]+:", target):
            continue
        path, _, anchor = target.partition("#")
        linked = (page.parent / path).resolve() if path else page
        if not linked.exists() or (anchor and anchor not in _anchors(linked)):
            broken.append(target)
    assert not broken, f"{page.name}: broken links {broken}"


def test_the_link_check_sees_a_broken_anchor(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("# Title\n\n## The report\n", encoding="utf-8")
    assert _anchors(tmp_path / "a.md") == {"title", "the-report"}
    assert "to-be-scenarios-redesigns-on-real-paths" in _anchors(ROOT / "docs" / "to-be.md")


def test_the_readme_shows_the_canvas_a_body_page_and_a_slide() -> None:
    """The README's pictures of the deliverables (issue 26), each small enough to load
    quickly (`make images` regenerates them)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    pictures = re.findall(r"!\[[^\]]*\]\((docs/images/[^)]+)\)", readme)
    for wanted in ("canvas", "report-page", "slide"):
        assert [p for p in pictures if wanted in p], wanted
    for path in (ROOT / "docs" / "images").iterdir():
        assert path.stat().st_size < 300 * 1024, path.name


def test_the_pages_name_the_neo4j_versions_the_server_tests_run_on() -> None:
    """The Neo4j and GDS versions of both test server builds (tests/neo4j-server/pom.xml)."""
    from xml.etree import ElementTree

    maven = {"m": "http://maven.apache.org/POM/4.0.0"}
    pom = ElementTree.parse(ROOT / "tests" / "neo4j-server" / "pom.xml").getroot()
    (newest,) = (
        profile
        for profile in pom.iterfind("m:profiles/m:profile", maven)
        if profile.findtext("m:id", namespaces=maven) == "newest"
    )
    builds = [pom.find("m:properties", maven), newest.find("m:properties", maven)]
    for page in ("neo4j.md", "development.md"):
        text = " ".join((ROOT / "docs" / page).read_text(encoding="utf-8").split())
        for properties in builds:
            assert properties is not None
            neo4j = properties.findtext("m:neo4j.version", namespaces=maven) or "?"
            gds = properties.findtext("m:gds.version", namespaces=maven) or "?"
            assert re.sub(r"\.0$", "", neo4j) in text, (page, neo4j)
            assert f"GDS {gds}" in text, (page, gds)
