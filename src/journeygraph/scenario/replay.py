"""Replaying customers' observed paths against an organisation: who would serve them.

The replay keeps the paths customers took and changes who serves them: each
observed step ``a -> b`` is judged against each organisation's RACI and
declared handoffs. It does not predict new paths.

Definitions (issue 28):

- a *change of hands* is a step ``a -> b`` with ``a != b`` whose Responsible
  sets R(a) and R(b) are both non-empty and share no function;
- it is *declared* when a declared handoff from a function of R(a) to one of
  R(b) covers it (the handoff has no ``at``, or its ``at`` lists ``[a, b]``);
  a waived handoff gap is still undeclared (a waiver records a decision, not
  a procedure);
- a declared change of hands is *without SLA* when no handoff covering it
  has an SLA; otherwise its SLA is the longest of theirs (the customer waited
  too long only when every procedure that covers the step was late);
- its *wait* is the time from the event at ``a`` to the next event, at ``b``;
- steps to or from a touchpoint that is not in the map are left out.

Percentiles of changes of hands per customer are DuckDB's ``quantile_cont``:
linear interpolation between the closest ranks (NumPy's default), over every
customer of the log, those with no change of hands counting zero.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from journeygraph.model import JourneyMap

if TYPE_CHECKING:
    from journeygraph.evidence.discovery.flow import ObservedFlow

__all__ = ["HandStep", "Replay", "hand_steps", "replay"]


@dataclass(frozen=True)
class HandStep:
    """How one organisation serves a step where the customer changes hands."""

    declared: bool
    """A declared handoff covers it."""
    sla_seconds: float | None
    """The SLA of the handoffs covering it (the longest), if any has one."""

    @property
    def without_sla(self) -> bool:
        """Declared, but with no SLA."""
        return self.declared and self.sla_seconds is None


def hand_steps(m: JourneyMap, steps: Iterable[tuple[str, str]]) -> dict[tuple[str, str], HandStep]:
    """The ``steps`` that change hands in ``m``, each with how it is declared.

    Examples
    --------
    >>> from journeygraph.testing import tiny_map
    >>> hand_steps(tiny_map(), [("ad", "shop"), ("shop", "ad"), ("ad", "elsewhere")])
    {('ad', 'shop'): HandStep(declared=False, sla_seconds=None), \
('shop', 'ad'): HandStep(declared=False, sla_seconds=None)}
    """
    responsible = {t.id: set(t.owners.responsible) for t in m.touchpoints}
    found = {}
    for a, b in steps:
        givers, takers = responsible.get(a), responsible.get(b)
        if a == b or not givers or not takers or givers & takers:
            continue
        covering = [
            h for h in m.handoffs if h.from_ in givers and h.to in takers and h.covers(a, b)
        ]
        slas = [h.sla_minutes * 60 for h in covering if h.sla_minutes is not None]
        found[(a, b)] = HandStep(bool(covering), max(slas) if slas else None)
    return found


@dataclass(frozen=True)
class Replay:
    """What the customers of a log meet under one organisation, on the paths they took."""

    customers: int
    """Customers (cases) in the log."""
    changes_of_hands: int
    """Changes of hands on all their paths."""
    mean: float
    """Changes of hands per customer: the mean."""
    median: float
    """The median (interpolated)."""
    p90: float
    """The 90th percentile (interpolated, as NumPy's default)."""
    customers_undeclared: int
    """Customers who meet at least one undeclared change of hands."""
    customers_without_sla: int
    """Customers who pass at least one declared handoff with no SLA."""
    timed_waits: int
    """Waits at changes of hands that an SLA covers."""
    waits_over_sla: int
    """Those longer than their SLA."""

    @property
    def share_over_sla(self) -> float | None:
        """The share of timed waits longer than their SLA; None with no timed wait."""
        return self.waits_over_sla / self.timed_waits if self.timed_waits else None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data."""
        return {
            "customers": self.customers,
            "changes_of_hands": self.changes_of_hands,
            "per_customer": {"mean": self.mean, "median": self.median, "p90": self.p90},
            "customers_undeclared": self.customers_undeclared,
            "customers_without_sla": self.customers_without_sla,
            "timed_waits": self.timed_waits,
            "waits_over_sla": self.waits_over_sla,
            "share_over_sla": self.share_over_sla,
        }


def replay(flow: ObservedFlow, organisations: Sequence[JourneyMap]) -> list[Replay]:
    """Replay every customer's observed path against each organisation.

    Parameters
    ----------
    flow
        The log's observed flow (:func:`journeygraph.evidence.discover`), its
        touchpoints named as the maps name them.
    organisations
        The maps to judge the paths against: typically the as-is and the to-be.

    Returns
    -------
    list of Replay
        One per organisation, in order.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from journeygraph.evidence import discover, read_log
    >>> from journeygraph.testing import tiny_map
    >>> log = pathlib.Path(tempfile.mkdtemp()) / "events.csv"
    >>> _ = log.write_text("case_id,touchpoint,timestamp\\nc1,ad,1\\nc1,shop,2\\nc2,ad,5\\n")
    >>> [r] = replay(discover(read_log(log)), [tiny_map()])
    >>> r.customers, r.changes_of_hands, r.customers_undeclared, r.mean, r.median
    (2, 1, 1, 0.5, 0.5)
    """
    from journeygraph.evidence.reading.tables import REPLAY_STEPS, STEPS, put

    con = flow.log.connection
    observed = [
        (str(a), str(b))
        for a, b in con.execute(
            f"SELECT DISTINCT touchpoint::VARCHAR, next_touchpoint::VARCHAR FROM {STEPS} "
            "WHERE next_touchpoint IS NOT NULL"
        ).fetchall()
    ]
    rows = [
        (k, a, b, not step.declared, step.without_sla, step.sla_seconds)
        for k, m in enumerate(organisations)
        for (a, b), step in hand_steps(m, observed).items()
    ]
    put(con, REPLAY_STEPS, rows)
    try:
        return [_figures(con, k, flow.cases) for k in range(len(organisations))]
    finally:
        con.execute(f"DROP TABLE IF EXISTS {REPLAY_STEPS}")


def _figures(con: Any, organisation: int, customers: int) -> Replay:
    from journeygraph.evidence.reading.tables import REPLAY_STEPS, STEPS

    found = con.execute(
        f"""
        WITH per_case AS (
          SELECT s.case_no, count(*) AS hands,
                 count(*) FILTER (r.undeclared) AS undeclared,
                 count(*) FILTER (r.without_sla) AS without_sla,
                 count(*) FILTER (r.sla_seconds IS NOT NULL) AS timed,
                 count(*) FILTER (s.gap > r.sla_seconds) AS over
          FROM {STEPS} s JOIN {REPLAY_STEPS} r
            ON s.touchpoint = r.a AND s.next_touchpoint = r.b AND r.organisation = ?
          GROUP BY s.case_no
        ), every_case AS (
          SELECT coalesce(p.hands, 0) AS hands FROM (SELECT DISTINCT case_no FROM {STEPS}) c
          LEFT JOIN per_case p USING (case_no)
        )
        SELECT (SELECT quantile_cont(hands, 0.5) FROM every_case),
               (SELECT quantile_cont(hands, 0.9) FROM every_case),
               coalesce(sum(hands), 0), count(*) FILTER (undeclared > 0),
               count(*) FILTER (without_sla > 0), coalesce(sum(timed), 0),
               coalesce(sum(over), 0)
        FROM per_case
        """,
        [organisation],
    ).fetchone()
    median, p90, hands, undeclared, without_sla, timed, over = found
    return Replay(
        customers=customers,
        changes_of_hands=int(hands),
        mean=float(hands) / customers if customers else 0.0,
        median=float(median or 0.0),
        p90=float(p90 or 0.0),
        customers_undeclared=int(undeclared),
        customers_without_sla=int(without_sla),
        timed_waits=int(timed),
        waits_over_sla=int(over),
    )
