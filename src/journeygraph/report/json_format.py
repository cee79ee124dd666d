"""JSON output: stable key order, one object per journey."""

from __future__ import annotations

import json
import json.encoder
from collections.abc import Callable, Mapping, Sequence
from itertools import chain, islice, repeat
from typing import TYPE_CHECKING, Any

from journeygraph.escape import json_safe, json_text
from journeygraph.report.base import Formatter, OutputFormat
from journeygraph.severity import Severity

# The map's modules (networkx, pydantic, the algorithms) only where a method needs
# them: `discover` without a map writes its JSON without loading them.
if TYPE_CHECKING:
    from journeygraph.actions import Action
    from journeygraph.algorithms import CoverageMatrix
    from journeygraph.audit import AuditResult
    from journeygraph.diff import MapDiff
    from journeygraph.evidence import Evidence, ObservedFlow
    from journeygraph.model import JourneyMap
    from journeygraph.report.scorecard import Portfolio
    from journeygraph.rules import Finding
    from journeygraph.whatif import Dependence, Suggestion, ToBe, WhatIf

__all__ = ["JsonFormatter", "evidence_dict", "matrix_dict"]


class JsonFormatter(Formatter):
    """``{"journey", "findings", "waived", "summary", ...}``; several journeys
    give ``{"journeys": [...], "summary": {...}}``.

    Examples
    --------
    >>> import json, journeygraph
    >>> result = journeygraph.audit(journeygraph.load("examples/b2b-saas.yaml"))
    >>> data = json.loads(JsonFormatter().audit([result]))
    >>> sorted(data)[:4]
    ['file', 'findings', 'journey', 'name']
    """

    format = OutputFormat.JSON

    def audit(self, results: Sequence[AuditResult], *, portfolio: Portfolio | None = None) -> str:
        if len(results) == 1:
            return _pretty(_result_fields(results[0]), end="\n")
        total = {s.value: 0 for s in sorted(Severity, reverse=True)}
        for result in results:
            for severity, count in result.summary().items():
                total[severity] += count
        journeys = "[\n" + ",\n".join(_indent(_pretty(_result_fields(r)), "    ") for r in results)
        fields: dict[str, Any] = {"journeys": _Raw(journeys + "\n  ]"), "summary": total}
        if portfolio is not None:
            fields["portfolio"] = _Raw(_indent(_compact_pretty(portfolio.to_dict()), "  ").lstrip())
        return _pretty(fields) + "\n"

    def matrix(self, matrix: CoverageMatrix, *, journey: str) -> str:
        return _pretty(matrix_dict(matrix, journey=journey)) + "\n"

    def evidence(self, flow: ObservedFlow, evidence: Evidence | None = None) -> str:
        return json_text(evidence_dict(flow, evidence), indent=1) + "\n"

    def diff(self, d: MapDiff) -> str:
        from journeygraph.report.diff_format import diff_json

        return diff_json(d)

    def whatif(self, m: JourneyMap, effect: WhatIf) -> str:
        from journeygraph.report.whatif_format import whatif_json

        return whatif_json(m, effect)

    def dependence(self, m: JourneyMap, ranking: Sequence[Dependence]) -> str:
        from journeygraph.report.whatif_format import dependence_json

        return dependence_json(m, ranking)

    def to_be(self, side: ToBe) -> str:
        from journeygraph.report.to_be_format import to_be_json

        return to_be_json(side)

    def suggestions(self, found: Sequence[Suggestion], *, plan: bool = False) -> str:
        from journeygraph.report.to_be_format import suggestions_json

        return suggestions_json(found, plan=plan)

    def actions(self, plan: Sequence[Action]) -> str:
        from journeygraph.report.actions_format import actions_json

        return actions_json(plan)

    def table(self, columns: Sequence[str], rows: Sequence[Mapping[str, Any]]) -> str:
        # Nodes, dates and other driver values print as their text.
        data = {
            "columns": list(columns),
            "rows": [{c: row.get(c) for c in columns} for row in rows],
        }
        return _pretty(json.loads(json_text(data, default=str))) + "\n"


def matrix_dict(matrix: CoverageMatrix, *, journey: str) -> dict[str, Any]:
    """The coverage matrix as JSON-ready data."""
    from journeygraph.graph import DEPARTMENT, JOB_FUNCTION, STAGE

    return {
        "journey": journey,
        "stages": [{"id": s, "name": matrix.name(STAGE, s)} for s in matrix.stages],
        "rows": [
            {
                "function": row.function,
                "name": matrix.name(JOB_FUNCTION, row.function),
                "department": row.department,
                "department_name": matrix.name(DEPARTMENT, row.department) or None,
                "cells": row.cells,
            }
            for row in matrix.rows
        ],
        "uncovered": matrix.uncovered,
    }


class _Raw(str):
    """JSON text already rendered."""


def _result_fields(result: AuditResult) -> dict[str, Any]:
    data = result.to_dict(findings=False)
    data["findings"] = _Findings(result.findings)
    data["waived"] = _Findings(result.waived)
    return {
        k: data[k]
        for k in ("journey", "name", "file", "findings", "waived", "unused_waivers", "summary")
    }


class _Findings(list[str]):
    """Findings as the JSON text of each, one a line: a list `_pretty` lays out as it is."""

    def __init__(self, findings: Sequence[Finding]) -> None:
        encode = _encoder()
        known = _Known()
        super().__init__(_finding_json(finding, encode, known) for finding in findings)


def _encoder() -> Callable[[Any], str]:
    """``JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(", ", ": ")).encode``,
    its C encoder made once rather than once a value (a large audit encodes a million)."""
    import json.encoder

    # Not in the standard library's type stubs: the C accelerator, or None without it.
    c_make_encoder = getattr(json.encoder, "c_make_encoder", None)
    standard = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(", ", ": "))
    if c_make_encoder is None:  # a Python without the C accelerator
        return standard.encode
    # The arguments `JSONEncoder.iterencode` gives it, in its order.
    iterencode = c_make_encoder(
        {}, standard.default, json.encoder.encode_basestring, None, ": ", ", ", False, False, False
    )
    join = "".join

    def encode(value: Any) -> str:
        return join(iterencode(value, 0))

    return encode


# A text as the encoder writes it (``ensure_ascii=False``), by the C function the
# encoder calls, without the encoder's list of pieces to join: each finding's message.
# Given anything but a text (``str`` or a subclass, which the encoder writes the
# same way) it raises `TypeError`.
_text = json.encoder.encode_basestring
_listed = ", ".join

_FIXED_KEYS = frozenset({"rule", "severity", "entities", "message", "location", "reason"})


class _Known:
    """What the findings of one output share, each written once: the openings (rule
    and severity), the files of locations, the details' keys and their tuples."""

    __slots__ = ("files", "heads", "keys", "tuples")

    def __init__(self) -> None:
        self.heads: dict[tuple[str, str], str] = {}
        self.files: dict[str, str] = {}
        self.keys: dict[str, str] = {}
        """A detail's key to its text, ``, "key": ``."""
        self.tuples: dict[int, tuple[tuple[Any, ...], str]] = {}
        """A tuple of the details by its ``id`` (rules share a set of functions among
        many findings), with the tuple itself: held, its ``id`` is not reused."""


def _finding_json(
    finding: Finding, encode: Callable[[Any], str], known: _Known | None = None
) -> str:
    """``encode(finding.to_dict())``, the same text, written without that dict.

    A large audit prints hundreds of thousands of findings: the values are
    written as they stand (a tuple as ``to_dict``'s list), what findings share
    once each, kept in ``known`` (`_Known`). A finding whose details are not a
    plain dict, or are keyed other than by texts or like a fixed key (which
    `Finding.to_dict` would put in that key's place), is encoded through its
    dict. Hidden characters are escaped afterwards, over the whole text.
    """
    rule, severity, details, where = (
        finding.rule,
        finding.severity._value_,  # `.value`, without the enum's descriptor: one a finding
        finding.details,
        finding.location,
    )
    if type(details) is not dict or type(rule) is not str:
        return encode(finding.to_dict())
    known = _Known() if known is None else known
    rest = _details_json(details, encode, known) if details else ""
    if rest is None:
        return encode(finding.to_dict())
    head = known.heads.get((rule, severity))
    if head is None:
        head = known.heads[(rule, severity)] = (
            f'{{"rule": {encode(rule)}, "severity": {encode(severity)}, "entities": ['
        )
    try:  # ids are texts: each written by the encoder's C function, joined in C
        entities = _listed(map(_text, finding.entities))
    except TypeError:
        entities = encode(finding.entities)[1:-1]  # a tuple's or a list's, inside its brackets
    message = finding.message
    message = _text(message) if type(message) is str else encode(message)
    if finding.waiver is not None:
        rest = f'{rest}, "reason": {encode(finding.waiver)}'
    # One text made at once: a large audit's findings are not copied piece by piece.
    if where is None:
        location = "null"
    elif type(where.line) is int and type(where.column) is int and type(where.file) is str:
        file = known.files.get(where.file)
        if file is None:
            file = known.files[where.file] = f'{{"file": {encode(where.file)}, "line": '
        return (
            f'{head}{entities}], "message": {message}, "location": '
            f'{file}{where.line}, "column": {where.column}}}{rest}}}'
        )
    else:
        location = encode({"file": where.file, "line": where.line, "column": where.column})
    return f'{head}{entities}], "message": {message}, "location": {location}{rest}}}'


def _details_json(
    details: dict[Any, Any], encode: Callable[[Any], str], known: _Known
) -> str | None:
    """The details' keys and values as `encode` writes them inside their object, each
    after ``, ``; None when a key is not a text or is named like a fixed key.

    The usual values (texts, flags, integers, lists and tuples of texts) are
    written here, by the C functions the encoder calls itself; the rest by `encode`.
    """
    rest = ""
    keys, tuples = known.keys, known.tuples
    for key, value in details.items():
        name = keys.get(key)
        if name is None:
            if type(key) is not str or key in _FIXED_KEYS:
                return None
            name = keys[key] = f", {_text(key)}: "
        if value is True:
            rest += name + "true"
        elif value is False:
            rest += name + "false"
        elif value is None:
            rest += name + "null"
        else:
            kind = type(value)
            if kind is str:
                rest += name + _text(value)
            elif kind is tuple:
                shared = tuples.get(id(value))
                if shared is None:
                    shared = tuples[id(value)] = (value, _array(value, encode))
                rest += name + shared[1]
            elif kind is list:
                rest += name + _array(value, encode)
            elif kind is int:
                rest += name + int.__repr__(value)
            else:
                rest += name + encode(value)
    return rest


def _array(values: Sequence[Any], encode: Callable[[Any], str]) -> str:
    """``encode(values)`` of a list or a tuple, written in C when it holds texts only."""
    try:
        return f"[{_listed(map(_text, values))}]"
    except TypeError:
        return encode(values)


def _pretty(data: dict[str, Any], *, end: str = "") -> str:
    """An object with one key a line, and each item of its lists on one line.

    Examples
    --------
    >>> print(_pretty({"a": 1, "items": [{"x": 1}, {"x": 2}], "none": []}))
    {
      "a": 1,
      "items": [
        {"x": 1},
        {"x": 2}
      ],
      "none": []
    }
    """
    # The pieces are joined once: a large audit's text is not copied piece by piece.
    pieces = ["{\n"]
    for n, (key, value) in enumerate(data.items()):
        pieces += ("" if n == 0 else ",\n", "  ", _compact(key), ": ")
        if isinstance(value, _Raw):
            pieces.append(str(value))
        elif isinstance(value, (list, tuple)) or hasattr(value, "__next__"):
            items = value if isinstance(value, _Findings) else _encoded(value)
            if items:
                # Each item and its separator are pieces of the one join: a large
                # audit's findings are not first joined into a text of their own.
                # Interleaved in C (`zip` with the separator repeated): one a finding.
                pieces += ("[\n    ", items[0])
                pieces += chain.from_iterable(zip(repeat(",\n    "), islice(items, 1, None)))
                pieces.append("\n  ]")
            else:
                pieces.append("[]")
        else:
            pieces.append(_compact(value))
    pieces.append("\n}" + end)
    return json_safe("".join(pieces))


def _encoded(values: Any) -> list[str]:
    encode = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(", ", ": "))
    return [encode.encode(value) for value in values]


def _compact_pretty(data: dict[str, Any]) -> str:
    return json_text(data, indent=2)


def _compact(value: Any) -> str:
    return json_text(value, separators=(", ", ": "))


def _indent(text: str, prefix: str) -> str:
    return "\n".join(prefix + line for line in text.splitlines())


def evidence_dict(flow: ObservedFlow, evidence: Evidence | None = None) -> dict[str, Any]:
    """What an event log says, as JSON-ready data."""
    log = flow.log
    data: dict[str, Any] = {
        "log": {
            "file": log.file,
            "events": log.events,
            "bad_rows": log.bad_rows,
            "segment": log.segment.describe() if log.segment else None,
            "outside_segment": {"events": log.outside[0], "cases": log.outside[1]},
            "bad": log.bad,
            "bad_examples": [
                {"location": str(b.location), "reason": b.reason} for b in log.examples
            ],
        },
        **flow.to_dict(),
    }
    if evidence is not None:
        data["conformance"] = [finding.to_dict() for finding in evidence.conformance.findings]
        data["conformance_waived"] = [finding.to_dict() for finding in evidence.conformance.waived]
        data["audit"] = [finding.to_dict() for finding in evidence.audit.findings]
        h = evidence.handoffs
        data["handoffs"] = {
            "per_customer": {"median": h.median, "p90": h.p90, "mean": h.mean},
            "customers_handed": h.customers_handed,
            "slowest": [row.to_dict() for row in h.slowest],
            "network": [row.to_dict() for row in h.network],
            "work": [row.to_dict() for row in h.work],
        }
        data["performed"] = [row.to_dict() for row in evidence.performed]
        figures = evidence.journey
        data["journey"] = {
            "fitness": figures.fitness.to_dict(),
            "stages": [s.to_dict() for s in figures.stages],
            "conversion": [c.to_dict() for c in figures.conversion],
        }
        data["expected"] = {
            source: {**vars(e), "from": evidence.expected_from[source]}
            for source, e in evidence.expected.items()
        }
    return data
