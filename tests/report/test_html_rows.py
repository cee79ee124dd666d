"""The HTML report's long lists written in Python are the bytes the template wrote.

Each loop below is the template's own before the rows moved to
`journeygraph.report.html_rows`, rendered by the report's engine (its escaping
and its ``finalize``) on a map whose every name is hostile text.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import journeygraph
from journeygraph.actions import action_plan
from journeygraph.report.html_report import _ENV
from journeygraph.report.html_rows import action_rows, finding_rows, matrix_rows, touchpoint_rows
from journeygraph.report.stages_view import stage_sections
from tests.test_hostile_outputs import hostile_map

FINDINGS = (
    "{% for journey, f in (findings[:printed_rows] if printing else findings) %}"
    "<tr class=\"finding{{ ' screen-only' if loop.index > printed_rows else '' }}\" "
    'data-severity="{{ f.severity.value }}" data-rule="{{ f.rule }}"><td><span class="badge '
    '{{ f.severity.value }}">{{ f.severity.value }}</span></td>{% if several %}<td>{{ journey }}'
    "</td>{% endif %}<td>{{ f.message }}</td></tr>{% endfor %}"
)
TOUCHPOINTS = (
    "{% for t in (rows[:printed_rows] if printing else rows) %}<tr{% if loop.index > "
    "printed_rows %} class=\"screen-only\"{% endif %}><td>{{ t.name }}</td><td>{{ t.channel or '' "
    "}}</td>{% for role in t.roles %}<td>{{ role|join(', ') }}</td>{% endfor %}<td>{% for f in "
    't.findings %}<span class="badge {{ f.severity.value }}">{{ f.rule|rule_title }}</span> '
    "{% endfor %}</td></tr>{% endfor %}"
)
ACTIONS = (
    "{% for a in (actions[:printed_rows] if printing else actions) %}<tr{% if loop.index > "
    'printed_rows %} class="screen-only"{% endif %}><td class="num">{{ a.priority }}</td><td>'
    '{{ a.title }}{% if details and a.details %}<br/><span class="muted">{{ a.details[:4]|joined '
    "}}{% if a.details|length > 4 %} and {{ a.details|length - 4 }} more{% endif %}</span>{% endif "
    '%}</td><td>{{ a.owner }}</td><td><span class="badge {{ a.severity.value }}">'
    '{{ a.severity.value }}</span></td><td class="num">{% if a.reach is not none %}'
    '{{ "{:,}".format(a.reach) }}{% endif %}</td><td>{{ a.status }}</td></tr>{% endfor %}'
)

MATRIX = (
    "{% for row in rows %}<tr><td>{{ matrix.name('Department', row.department) }}</td><td>"
    "{{ matrix.name('JobFunction', row.function) }}</td>{% for s in matrix.stages %}{% set "
    'letters = row.cells[s] %}<td class="cell {{ letters[:1] }}">{{ row.text(s) }}</td>'
    "{% endfor %}</tr>{% endfor %}"
)


@pytest.mark.parametrize("printing", [False, True])
@pytest.mark.parametrize("printed", [3, 10])
def test_rows_are_those_the_template_wrote(tmp_path: Path, printing: bool, printed: int) -> None:
    m = journeygraph.load(hostile_map(tmp_path))
    result = journeygraph.audit(m)
    assert len(result.findings) > printed > 0  # some rows past the printed ones
    findings = [("<b>journey</b> \x1b[2J", f) for f in result.findings]
    rows = [t for s in stage_sections(m, result) for t in s.touchpoints]
    plan = action_plan(m, result)
    cut = {"printing": printing, "printed_rows": printed}
    for several in (False, True):
        template = _ENV.from_string(FINDINGS)
        assert finding_rows(findings, several=several, printing=printing, printed=printed) == (
            template.render(findings=findings, several=several, **cut)
        )
    assert touchpoint_rows(rows, printing=printing, printed=printed) == _ENV.from_string(
        TOUCHPOINTS
    ).render(rows=rows, **cut)
    for details in (False, True):
        assert action_rows(plan, details=details, printing=printing, printed=printed) == (
            _ENV.from_string(ACTIONS).render(actions=plan, details=details, **cut)
        )


def test_a_text_is_escaped_as_markupsafe_escapes_it() -> None:
    import random

    from markupsafe import escape

    from journeygraph.escape import printable
    from journeygraph.report.html_rows import _text

    rng = random.Random(30)
    alphabet = "ab &<>'\"\x1b\u202eé&amp;"
    for _ in range(20_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 10)))
        assert _text(text) == str(escape(printable(text)))


@pytest.mark.parametrize(
    "path", ["hostile", "examples/b2b-saas.yaml", "tests/fixtures/dense-300.yaml"]
)
def test_matrix_rows_are_those_the_template_wrote(tmp_path: Path, path: str) -> None:
    from journeygraph.algorithms.coverage import coverage_matrix

    m = journeygraph.load(hostile_map(tmp_path) if path == "hostile" else path)
    matrix = coverage_matrix(m.to_networkx())
    assert any(not row.cells[s] for row in matrix.rows for s in matrix.stages)  # empty cells
    for rows in (matrix.rows, matrix.rows[1:3], []):
        assert matrix_rows(rows, matrix) == _ENV.from_string(MATRIX).render(
            rows=rows, matrix=matrix
        )
