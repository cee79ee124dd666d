"""The HTML report's long lists, its rows written in Python.

A rule's findings, a stage's touchpoints, the action plan and the coverage matrix (a row
per function, a cell per stage) run to tens of thousands of rows or cells at
10,000 touchpoints; written by the template, each value went through the engine's
finalize and escape calls and its loop bookkeeping (a sixth of the report's time).
These functions write the very bytes the template wrote: every value with its
control characters written out (:func:`journeygraph.escape.printable`, the
engine's ``finalize``), then HTML-escaped, as ``{{ value }}`` does.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from markupsafe import Markup

from journeygraph.actions import Action
from journeygraph.algorithms.coverage import CoverageMatrix, CoverageRow
from journeygraph.escape import printable
from journeygraph.report.stages_view import TouchpointRow
from journeygraph.report.wording import joined, rule_title
from journeygraph.rules import Finding

__all__ = ["action_rows", "finding_rows", "matrix_rows", "touchpoint_rows"]


def _text(value: str) -> str:
    """What ``{{ value }}`` writes for a text from a map or a finding: markupsafe's
    ``escape`` of a plain text, its five replacements made here without the
    ``Markup`` it returns and the copy back to ``str`` (a test compares the two)."""
    return (
        printable(value)
        .replace("&", "&amp;")
        .replace(">", "&gt;")
        .replace("<", "&lt;")
        .replace("'", "&#39;")
        .replace('"', "&#34;")
    )


@cache
def _word(value: str) -> str:
    """:func:`_text` of a value drawn from a few (a severity, a rule id), made once."""
    return _text(value)


@cache
def _badge_title(rule: str) -> str:
    return _text(rule_title(rule))


def finding_rows(
    findings: Sequence[tuple[str, Finding]], *, several: bool, printing: bool, printed: int
) -> Markup:
    """A rule's findings as the rows of its table: the first ``printed`` when
    ``printing``, every one otherwise (those past ``printed`` shown on screen only),
    with the journey's name when the report has ``several``."""
    out: list[str] = []
    for index, (journey, f) in enumerate(findings[:printed] if printing else findings, 1):
        severity = _word(f.severity.value)
        hidden = " screen-only" if index > printed else ""
        named = f"<td>{_text(journey)}</td>" if several else ""
        out.append(
            f'<tr class="finding{hidden}" data-severity="{severity}" data-rule="{_word(f.rule)}">'
            f'<td><span class="badge {severity}">{severity}</span></td>{named}'
            f"<td>{_text(f.message)}</td></tr>"
        )
    return Markup("".join(out))


def touchpoint_rows(rows: Sequence[TouchpointRow], *, printing: bool, printed: int) -> Markup:
    """A stage's touchpoints as the rows of its table (name, channel, R, A, C, I and
    a badge a finding), cut as :func:`finding_rows` cuts."""
    out: list[str] = []
    for index, t in enumerate(rows[:printed] if printing else rows, 1):
        hidden = ' class="screen-only"' if index > printed else ""
        roles = "".join(f"<td>{_text(', '.join(role))}</td>" for role in t.roles)
        badges = "".join(
            f'<span class="badge {_word(f.severity.value)}">{_badge_title(f.rule)}</span> '
            for f in t.findings
        )
        out.append(
            f"<tr{hidden}><td>{_text(t.name)}</td><td>{_text(t.channel or '')}</td>"
            f"{roles}<td>{badges}</td></tr>"
        )
    return Markup("".join(out))


def action_rows(
    actions: Sequence[Action], *, details: bool, printing: bool, printed: int
) -> Markup:
    """The action plan as the rows of its table (priority, the action with its first
    four details when ``details``, owner, severity, reach, status), cut as
    :func:`finding_rows` cuts."""
    out: list[str] = []
    for index, a in enumerate(actions[:printed] if printing else actions, 1):
        hidden = ' class="screen-only"' if index > printed else ""
        said = ""
        if details and a.details:
            more = f" and {len(a.details) - 4} more" if len(a.details) > 4 else ""
            said = f'<br/><span class="muted">{_text(joined(a.details[:4]))}{more}</span>'
        severity = _word(a.severity.value)
        reach = "" if a.reach is None else _text(f"{a.reach:,}")
        out.append(
            f'<tr{hidden}><td class="num">{a.priority}</td><td>{_text(a.title)}{said}</td>'
            f'<td>{_text(a.owner)}</td><td><span class="badge {severity}">{severity}</span></td>'
            f'<td class="num">{reach}</td><td>{_text(a.status)}</td></tr>'
        )
    return Markup("".join(out))


def matrix_rows(rows: Sequence[CoverageRow], matrix: CoverageMatrix) -> Markup:
    """Functions of the coverage ``matrix`` as the rows of its table: the department, the
    function, and a cell per stage with the roles it holds there (its class, the first)."""
    names = {}
    out: list[str] = []
    for row in rows:
        cells = row.cells
        for key in (("Department", row.department), ("JobFunction", row.function)):
            if key not in names:
                names[key] = _text(matrix.name(*key))
        out.append(
            f"<tr><td>{names[('Department', row.department)]}</td>"
            f"<td>{names[('JobFunction', row.function)]}</td>"
        )
        for s in matrix.stages:
            letters = cells[s]
            # An empty cell is most cells: no role, no text to make.
            if letters:
                out.append(f'<td class="cell {_word(letters[:1])}">{_text(row.text(s))}</td>')
            else:
                out.append('<td class="cell "></td>')
        out.append("</tr>")
    return Markup("".join(out))
