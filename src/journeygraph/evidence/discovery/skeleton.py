"""A skeleton map from what customers did, to start a map from (``discover --emit-map``)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from journeygraph.evidence.discovery.flow import ObservedFlow
from journeygraph.model import JourneyMap

__all__ = ["skeleton_map"]


def skeleton_map(flow: ObservedFlow, *, name: str) -> JourneyMap:
    """A map of the observed journey to start from: one stage, no owners yet.

    Each touchpoint the log names becomes a touchpoint (its id as written);
    each observed transition a ``next`` step, weighted by how many times
    customers took it (weights are relative: a rare step keeps a weight of at
    least 1, where a rounded share would be 0, which no map may hold).
    Touchpoints where customers start are entries; those where more journeys
    end than go on are exits. Where the log gives stages (``discover --stage``),
    each touchpoint is in the stage its events carry most often, and the
    stages are in the order customers meet them; touchpoints it gives none for
    are in one stage, ``observed``, whose description says to assign them.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from journeygraph.evidence import discover, read_log
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "log.csv").write_text("case_id,touchpoint,timestamp\\nc1,ad,1\\nc1,shop,2\\n")
    >>> m = skeleton_map(discover(read_log(folder / "log.csv")), name="log.csv")
    >>> m.journey.id, [(t.id, t.entry, t.exit) for t in m.touchpoints]
    ('log', [('ad', True, False), ('shop', False, True)])
    """
    journey_id = re.sub(r"[^a-z0-9]+", "-", Path(name).name.split(".")[0].lower()).strip("-")
    touchpoints = []
    # The stage the log gives a touchpoint most often; one stage for all where it gives none.
    given = {tp: done[0][0] for tp, done in flow.stage_events.items() if done}
    rest = "observed" if "observed" not in flow.stages else "observed-unassigned"
    for tp, stats in flow.touchpoints.items():
        out = [(b, s.transitions) for (a, b), s in flow.transitions.items() if a == tp]
        total = sum(n for _, n in out)
        entry: dict[str, Any] = {"id": tp, "stage": given.get(tp, rest)}
        if stats.starts:
            entry["entry"] = True
        if stats.ends >= total:
            entry["exit"] = True
        if out:
            entry["next"] = [{"to": b, "weight": float(n)} for b, n in out]
        touchpoints.append(entry)
    return JourneyMap.model_validate(
        {
            "version": 1,
            "journey": {
                "id": journey_id or "observed",
                "name": f"Observed journey ({flow.cases} customers)",
            },
            "stages": [{"id": s} for s in flow.stages if s in given.values()]
            + (
                [
                    {
                        "id": rest,
                        "name": "Observed (split into stages)",
                        "description": "Every touchpoint the log names without a stage, in "
                        "one stage: add the journey's stages in order (or give the log's "
                        "stage column with --stage) and set each touchpoint's stage before "
                        "reading its loops.",
                    }
                ]
                if len(given) < len(flow.touchpoints)
                else []
            ),
            "touchpoints": touchpoints,
        }
    )
