"""The report's template compiled ahead is the template Jinja2 compiles, and a stale one is
never used (`journeygraph.report.html_report.COMPILED`)."""

from __future__ import annotations

import pytest

import journeygraph
from journeygraph.report import html_report as module
from journeygraph.report.view import build_report


def test_the_template_compiled_ahead_is_used_and_writes_what_a_fresh_one_writes() -> None:
    module._template.cache_clear()
    ahead = module._template()
    fresh = module._ENV.get_template(module.TEMPLATE)
    assert ahead is not fresh  # read from the code written ahead, not compiled here
    m = journeygraph.load("examples/b2b-saas.yaml")
    report = build_report([m], [journeygraph.audit(m)])
    assert module.html_report(report) == module._render(fresh, report)


def test_a_stale_compiled_template_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(module, "_key", lambda source: "another template")
    module._template.cache_clear()
    try:
        assert module._template() is module._ENV.get_template(module.TEMPLATE)
    finally:
        monkeypatch.undo()
        module._template.cache_clear()
