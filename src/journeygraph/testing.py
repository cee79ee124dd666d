"""Small maps with known answers, and the case-file runner for rules.

`tiny_map` serves doctests and users' own tests. The rest is what the project
tests its rules with, shipped so that a rule written outside journeygraph can
be tested the same way (as sqlfluff ships its rule-test helpers):

- `fragment` builds a map from a YAML fragment without ``version`` and
  ``journey``, keeping the fragment's line numbers;
- `findings_of` runs one rule, an audit rule or a log check, on a fragment
  (and a log, for a check) with an optional audit config;
- `example_findings` runs a rule's own failing or passing example;
- `load_cases` and `case_problems` read and run a case file.

A case file is YAML: ``rule`` (the id) and ``cases``, each with ``name``,
``map`` (a fragment), for a log check ``log`` (CSV rows
``case,touchpoint,time``, the header added so the first row is line 2),
optionally ``config`` (an ``audit:`` section laid over the map's), and the
exact ``findings`` of that rule in order: ``entities`` and any other key the
finding must have (``severity``, ``line`` in the map, or a detail).
``waived`` lists the entities of findings expected to be waived. A case of
bad input gives ``errors`` instead of ``findings``: the problems the map is
refused with, each a ``line`` and ``column`` in the map and the start of its
``message``, in order.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from journeygraph.evidence.conformance.check import LOG_HEADER
from journeygraph.model import AuditConfig, JourneyMap

if TYPE_CHECKING:
    import networkx as nx

    from journeygraph.audit import AuditResult
    from journeygraph.rules import Finding, Rule

__all__ = [
    "LOG_HEADER",
    "RuleCase",
    "case_problems",
    "example_findings",
    "findings_of",
    "fragment",
    "load_cases",
    "tiny_graph",
    "tiny_map",
]

_HEADER = "\nversion: 1\njourney: {id: case, name: Case}\n"


def tiny_map() -> JourneyMap:
    """A two-stage, two-touchpoint map with one change of hands.

    Examples
    --------
    >>> [t.id for t in tiny_map().touchpoints]
    ['ad', 'shop']
    """
    return JourneyMap.model_validate(
        {
            "version": 1,
            "journey": {"id": "tiny", "name": "Tiny"},
            "stages": [{"id": "first"}, {"id": "last"}],
            "functions": [{"id": "marketing"}, {"id": "sales"}],
            "touchpoints": [
                {"id": "ad", "stage": "first", "next": ["shop"], "owners": {"R": "marketing"}},
                {
                    "id": "shop",
                    "stage": "last",
                    "exit": True,
                    "owners": {"R": "sales", "A": "sales", "I": "marketing"},
                },
            ],
        }
    )


def tiny_graph() -> nx.MultiDiGraph:
    """The graph of :func:`tiny_map`."""
    return tiny_map().to_networkx()


def fragment(text: str, file: str = "case.yaml") -> JourneyMap:
    """A map from a YAML fragment without ``version`` and ``journey``; lines stay as written.

    Examples
    --------
    >>> m = fragment("stages: [{id: s}]\\ntouchpoints: [{id: a, stage: s}]\\n")
    >>> m.journey.id, m.source.locate(("touchpoints", 0)).line
    ('case', 2)
    """
    from journeygraph.io.load import loads

    return loads(text.rstrip("\n") + "\n" + _HEADER, file)


def _result(
    rule: Rule[Any], map_text: str, log: str | None, config: AuditConfig | None
) -> AuditResult:
    from journeygraph.audit import audit
    from journeygraph.evidence.conformance.check import LogCheck

    m = fragment(map_text)
    if not isinstance(rule, LogCheck):
        return audit(m, config=config)
    if log is None:
        raise ValueError(f"{rule.id} is a log check: give the log rows it reads")
    from journeygraph.evidence import Columns, compare, discover, read_log
    from journeygraph.evidence.reading.names import names_of

    # Rows of four fields name the performer too: case,touchpoint,time,performer.
    rows = log.strip().splitlines()
    with_performer = bool(rows) and rows[0].count(",") >= 3
    header = LOG_HEADER.rstrip("\n") + ",performer\n" if with_performer else LOG_HEADER
    columns = Columns(performer="performer") if with_performer else None
    with tempfile.TemporaryDirectory(prefix="journeygraph-case-") as folder:
        path = Path(folder) / "events.csv"
        path.write_text(header + log, encoding="utf-8")
        # The map's own log names apply, as they do for `discover --map`.
        names = names_of(m)
        log_read = read_log(
            path, columns=columns, names=names.touchpoints, performers=names.performers
        )
        return compare(m, discover(log_read), config=config).conformance


def findings_of(
    rule_id: str,
    map_text: str,
    *,
    log: str | None = None,
    config: AuditConfig | Mapping[str, Any] | None = None,
) -> tuple[list[Finding], list[Finding]]:
    """The findings of one rule on a map fragment, and those waived.

    Parameters
    ----------
    rule_id
        An audit rule or a log check.
    map_text
        A map fragment (see `fragment`).
    log
        For a log check: the log's rows, ``case,touchpoint,time``, with a fourth
        field for the performer when the check reads who did what.
    config
        An ``audit:`` section laid over the map's own.

    Examples
    --------
    >>> text = "stages: [{id: s}]\\ntouchpoints: [{id: a, stage: s}]"
    >>> found, waived = findings_of("dead-end", text)
    >>> [finding.entities for finding in found], waived
    ([('a',)], [])
    >>> found, _ = findings_of(
    ...     "unmapped-touchpoint",
    ...     "stages: [{id: s}]\\ntouchpoints: [{id: a, stage: s, exit: true}]",
    ...     log="c1,a,1\\nc1,chat,2\\n",
    ... )
    >>> [finding.entities for finding in found]
    [('chat',)]
    """
    from journeygraph.docs import find_rule

    rule = find_rule(rule_id)
    settings = (
        config
        if config is None or isinstance(config, AuditConfig)
        else AuditConfig.model_validate(config)
    )
    result = _result(rule, map_text, log, settings)
    return (
        [finding for finding in result.findings if finding.rule == rule_id],
        [finding for finding in result.waived if finding.rule == rule_id],
    )


def example_findings(rule: Rule[Any], which: Literal["failing", "passing"]) -> list[Finding]:
    """The findings of ``rule`` on its own failing or passing example.

    Examples
    --------
    >>> from journeygraph.docs import find_rule
    >>> rule = find_rule("drop-off")
    >>> bool(example_findings(rule, "failing")), example_findings(rule, "passing")
    (True, [])
    """
    map_text = getattr(rule, f"{which}_example")
    log = getattr(rule, f"{which}_log", None)
    return findings_of(rule.id, map_text, log=log)[0]


@dataclass(frozen=True)
class RuleCase:
    """One case of a rule's case file (see the module's description)."""

    rule: str
    name: str
    map: str
    findings: list[dict[str, Any]]
    log: str | None = None
    config: dict[str, Any] | None = None
    waived: list[list[str]] = field(default_factory=list)
    file: str = ""
    errors: list[dict[str, Any]] = field(default_factory=list)

    @property
    def id(self) -> str:
        """``rule:name``, for test ids."""
        return f"{self.rule}:{self.name}"


def load_cases(folder: str | Path) -> list[RuleCase]:
    """Every case of every ``<rule-id>.yaml`` in ``folder``, files in name order."""
    import yaml

    cases = []
    for file in sorted(Path(folder).glob("*.yaml")):
        spec = yaml.safe_load(file.read_text(encoding="utf-8"))
        for case in spec["cases"]:
            cases.append(
                RuleCase(
                    rule=spec["rule"],
                    name=case["name"],
                    map=case["map"],
                    findings=case.get("findings", []),
                    log=case.get("log"),
                    config=case.get("config"),
                    waived=case.get("waived", []),
                    file=str(file),
                    errors=case.get("errors", []),
                )
            )
    return cases


def case_problems(case: RuleCase) -> list[str]:
    """What differs between the case's expected findings and the rule's; empty when it passes."""
    if case.errors:
        return _error_problems(case)
    found, waived = findings_of(case.rule, case.map, log=case.log, config=case.config)
    got = [finding.to_dict() for finding in found]
    entities = [g["entities"] for g in got]
    expected = [e["entities"] for e in case.findings]
    if entities != expected:
        return [f"findings about {entities}, expected {expected}"]
    problems = []
    for finding, want in zip(got, case.findings, strict=True):
        for key, value in want.items():
            if key == "line":
                actual = (finding["location"] or {}).get("line")
            elif key in finding:
                actual = finding[key]
            else:
                problems.append(f"{key} of {finding['entities']}: no such key in {finding}")
                continue
            if actual != value:
                problems.append(f"{key} of {finding['entities']}: {actual!r} != {value!r}")
    got_waived = [list(finding.entities) for finding in waived]
    if got_waived != case.waived:
        problems.append(f"waived {got_waived}, expected {case.waived}")
    return problems


def _error_problems(case: RuleCase) -> list[str]:
    """What differs between the problems a bad map is refused with and those expected."""
    from journeygraph.exceptions import MapError

    try:
        fragment(case.map)
    except MapError as err:
        got = [
            (p.location.line if p.location else None, p.location.column if p.location else None)
            for p in err.problems
        ]
        want = [(e["line"], e["column"]) for e in case.errors]
        if got != want:
            return [f"problems at {got}, expected {want}: {err}"]
        return [
            f"problem at line {e['line']}: {p.message!r} does not start with {e['message']!r}"
            for p, e in zip(err.problems, case.errors, strict=True)
            if not p.message.startswith(e["message"])
        ]
    return [f"the map was accepted; expected {len(case.errors)} problem(s)"]
