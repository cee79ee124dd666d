"""What-if results (removing functions, and who the journey leans on) as text or JSON."""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table
from rich.text import Text

from journeygraph.escape import count, json_text, printable
from journeygraph.model import JourneyMap
from journeygraph.report.terminal import render_text, safe
from journeygraph.whatif import Dependence, WhatIf

__all__ = ["dependence_json", "dependence_text", "whatif_json", "whatif_text"]


def _json(data: object) -> str:
    return json_text(data, indent=2) + "\n"


def whatif_json(m: JourneyMap, effect: WhatIf) -> str:
    """The effect of a removal as JSON."""
    return _json({"journey": m.id, **effect.to_dict()})


def whatif_text(m: JourneyMap, effect: WhatIf) -> str:
    """The effect of a removal in sentences, by display names.

    Examples
    --------
    >>> from journeygraph.testing import tiny_map
    >>> from journeygraph.whatif import what_if
    >>> print(whatif_text(tiny_map(), what_if(tiny_map(), functions=["sales"])), end="")
    Without sales:
      1 touchpoint left without a Responsible: shop
      1 touchpoint left without an Accountable: shop
      1 stage left without a Responsible owner: last
      0 new handoff gaps
    """
    names = {function.id: function.label for function in m.functions}
    stages = {s.id: s.label for s in m.stages}
    touchpoints = {t.id: t.label for t in m.touchpoints}
    lines = [f"Without {', '.join(names[function] for function in effect.removed)}:"]
    for noun, what, ids, lookup in (
        ("touchpoint", "left without a Responsible", effect.without_responsible, touchpoints),
        ("touchpoint", "left without an Accountable", effect.without_accountable, touchpoints),
        ("stage", "left without a Responsible owner", effect.uncovered_stages, stages),
    ):
        listed = ": " + ", ".join(lookup[i] for i in ids) if ids else ""
        lines.append(f"  {count(len(ids), noun)} {what}{listed}")
    lines.append(f"  {count(len(effect.new_gaps), 'new handoff gap')}")
    lines += [f"    - {finding.message}" for finding in effect.new_gaps]
    return printable("\n".join(lines) + "\n")


def dependence_json(m: JourneyMap, ranking: Sequence[Dependence]) -> str:
    """The dependence ranking as JSON, each function with its score."""
    rows = [{**vars(d), "sole_stages": list(d.sole_stages), "score": d.score} for d in ranking]
    return _json({"journey": m.id, "ranking": rows})


def dependence_text(
    m: JourneyMap, ranking: Sequence[Dependence], *, color: bool = False, width: int = 120
) -> str:
    """The dependence ranking as a table, by display names."""
    names = {function.id: function.label for function in m.functions}
    stages = {s.id: s.label for s in m.stages}
    table = Table(
        # "Single point of failure" is the handoff network's word (a function whose
        # removal splits it); here it is the work only one function holds.
        title=Text("Sole holders: what rests on one function alone"),
        title_justify="left",
    )
    for column in ("Function", "Only R on", "Only A on", "Stages it alone covers", "Handoffs"):
        table.add_column(column)
    for d in ranking:
        table.add_row(
            safe(names[d.function]),
            safe(d.sole_responsible),
            safe(d.sole_accountable),
            safe(", ".join(stages[s] for s in d.sole_stages)),
            safe(d.handoffs),
        )
    return render_text(table, color=color, width=width)
