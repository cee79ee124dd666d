"""The report's method and definitions appendix: how each figure is defined (from
`journeygraph.figures`, the source of docs/figures.md too), the rules run with their ids
and severities, and the configuration used. Here, and only here, ids and keys appear."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from journeygraph.figures import FIGURES, Figure
from journeygraph.model import AuditConfig, JourneyMap
from journeygraph.report.wording import client_words, rule_title

__all__ = ["Method", "method"]


@dataclass
class Method:
    """What the method appendix says."""

    figures: list[tuple[str, str]]
    """Each figure the report shows and its definition, in one sentence each."""
    rules: list[tuple[str, str, str]]
    """Each rule run: its name, its id and the severity it reports at."""
    thresholds: list[tuple[str, str]]
    """Each threshold's key and the value used."""
    disabled: list[str] = field(default_factory=list)
    """The ids of the rules the configuration turns off."""
    waivers: int = 0
    """How many findings the configuration accepts (waives)."""
    note: str | None = None
    """Said when the journeys of a portfolio are audited with different settings."""


def method(
    maps: Sequence[JourneyMap],
    config: AuditConfig | None,
    *,
    log: bool = False,
    to_be: bool = False,
) -> Method:
    """The method appendix of a report on ``maps`` audited with ``config`` laid over each
    map's own; the log's figures and checks with ``log``, the to-be's with ``to_be``."""
    from journeygraph.rules import registry

    settings = [m.audit if config is None else m.audit.merged(config) for m in maps]
    used = settings[0]
    sections = {"From the map", "In the action plan"}
    sections |= {"From an event log"} if log else set()
    sections |= {"In a to-be comparison"} if to_be else set()
    rules: list[Any] = list(registry)
    if log:
        from journeygraph.evidence.rules import evidence_registry

        rules += list(evidence_registry)
    return Method(
        figures=[_figure(f) for f in FIGURES if f.section in sections],
        rules=[
            (rule_title(r.id), r.id, used.severity.get(r.id, r.severity).value)
            for r in rules
            if r.id not in used.disable
        ],
        thresholds=[(k, f"{v:g}") for k, v in used.thresholds.model_dump().items()],
        disabled=list(used.disable),
        waivers=len(used.waivers),
        note=None
        if all(s == used for s in settings)
        else "The journeys' own settings differ: those of the first journey are shown.",
    )


def _figure(f: Figure) -> tuple[str, str]:
    """A figure's name and definition, its code markup taken out for print."""
    return client_words(f.name), client_words(f.definition)
