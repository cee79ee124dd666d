"""The audit run as Cypher: one query of ``cypher/audit/`` per rule.

Each rule's query returns its findings' entities and facts; the rule turns a
row into a finding (`journeygraph.rules.Rule.from_row`) worded exactly as the
in-process audit words it, and `journeygraph.audit.assemble` applies the
journey's settings (disabled rules, severities, thresholds, waivers) and sorts.
The four rules that follow transitions from touchpoint to touchpoint, ``loop``,
``unreachable-touchpoint``, ``handoff-gap`` and ``unused-handoff``, are the
exception: `neo4j audit` reads the journey's transitions, roles and handoffs
once anyway (``sync/read-transitions``, ``sync/read-owners``,
``sync/read-handoffs``, in the pull of the map), so it runs those rules' own
checks on them, in time linear in the journey, rather than searching the
database again (`TRAVERSALS`). Asked to search in the database
(``in_database``), it runs ``audit/loop`` once per loop, from the starts that
``audit/loop-starts`` lists (`loop_rows`), one ``audit/reach-step`` query per
step of a breadth-first search from all the entries (`unreachable_rows`), and
``audit/handoff-gap`` and ``audit/unused-handoff``; with GDS, ``gds/loop``
finds the loops.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Final

from journeygraph.algorithms.workload import share_fraction
from journeygraph.audit import AuditResult, assemble
from journeygraph.exceptions import StoreError
from journeygraph.model import AuditConfig
from journeygraph.rule_ids import HANDOFF_GAP, LOOP, UNREACHABLE_TOUCHPOINT, UNUSED_HANDOFF
from journeygraph.rules import AuditRule, Finding, Registry, RuleContext, registry
from journeygraph.store import gds as gds_library
from journeygraph.store import library
from journeygraph.store.reader import pull, switched
from journeygraph.store.runner import Runner, unpacked

__all__ = ["AUDIT_TRIES", "TRAVERSALS", "cypher_audit", "loop_rows", "unreachable_rows"]

AUDIT_TRIES: Final = 3
"""How many times `cypher_audit` audits a journey whose current version changed
during the audit (a staged push switched) before it gives up."""

TRAVERSALS: Final = frozenset({LOOP, UNREACHABLE_TOUCHPOINT, HANDOFF_GAP, UNUSED_HANDOFF})
"""The rules whose checks follow transitions: run on the transitions (with their
ends' roles and the declared handoffs) the pull read, unless `cypher_audit` is
asked to search in the database.

``handoff-gap`` and ``unused-handoff`` look at every transition's two sides:
their queries read again what the pull has just read (the transitions, roles
and handoffs), and ``handoff-gap`` returns a row per gap, 14,618 on the
generated 10,000-touchpoint journey: together half of the queries' time in the
whole Cypher audit there (docs/neo4j.md, "At scale").

Plain Cypher has no loop, and Neo4j's pruning ``[:NEXT*]`` search keeps what it
has seen per start, so one query cannot share one search among many starts:
in the database, a search linear in the journey takes a query per loop
(`loop_rows`) and per step of the search (`unreachable_rows`, 150 steps on the
generated 10,000-touchpoint journey), where the transitions are in hand."""


def cypher_audit(
    runner: Runner,
    journey: str,
    *,
    config: AuditConfig | None = None,
    rules: Registry[AuditRule] | None = None,
    gds: bool = False,
    in_database: bool = False,
) -> AuditResult:
    """Audit ``journey`` in the database by running the rules' Cypher queries.

    Parameters
    ----------
    runner
        Runs Cypher (the Neo4j driver, or an embedded engine).
    journey
        The journey id.
    config
        Laid over the journey's stored ``audit:`` settings, as in `journeygraph.audit`.
    rules
        The rules to run; the shipped registry by default.
    gds
        Find loops with the Graph Data Science library (``cypher/gds/loop``, one
        query) instead of one ``audit/loop`` query per loop; the server must have
        GDS installed (`journeygraph.store.gds.installed`).
    in_database
        Search loops, reachability and handoff gaps in the database (`loop_rows`,
        `unreachable_rows`, ``audit/handoff-gap``, ``audit/unused-handoff``)
        rather than run their rules on the transitions the pull read
        (`TRAVERSALS`); the same findings, in more queries.

    Returns
    -------
    AuditResult
        The same findings the in-process audit gives for the same map; no
        source locations, since the map lives in the database.

    Raises
    ------
    StoreError
        When the journey has no version that stayed current through a whole
        audit, `AUDIT_TRIES` times in a row (staged pushes of it switching).
    """
    rules = registry if rules is None else rules
    for _ in range(AUDIT_TRIES):
        # A staged push that switched meanwhile may have begun to remove the
        # version the queries after the pull met (the pull reads again itself),
        # and the journey node they start from may list what the new version
        # does: the audit holds only if its version is still current. A rule
        # that failed on such a mix (a function the pulled map does not list)
        # is audited again too; any other failure is raised.
        try:
            result = _audit(runner, journey, config, rules, gds=gds, in_database=in_database)
        except Exception as error:
            if isinstance(error, StoreError) or not switched(runner, journey):
                raise
            continue
        if not switched(runner, journey):
            return result
    raise StoreError(
        f"journey {journey!r} changed {AUDIT_TRIES} times while it was audited (staged "
        "pushes switching to new versions of it): audit it again once they are done"
    )


def _audit(
    runner: Runner,
    journey: str,
    config: AuditConfig | None,
    rules: Registry[AuditRule],
    *,
    gds: bool,
    in_database: bool,
) -> AuditResult:
    """`cypher_audit` of the version of ``journey`` that ``runner`` meets."""
    # The stored map gives the settings, the display names and the map order
    # the findings are sorted in; the findings come from Cypher, but for those
    # of the rules that follow transitions (`TRAVERSALS`), found on its own.
    m = pull(runner, journey)
    settings = m.audit if config is None else m.audit.merged(config)
    # Messages read names and departments (an outside firm is worded as such).
    ctx = RuleContext(m.to_networkx(), thresholds=settings.thresholds)
    limits = settings.thresholds
    share = share_fraction(limits.overload_share)
    concentration = share_fraction(limits.concentration_share)
    capacity = share_fraction(limits.capacity_share)
    parameters = {
        "journey": journey,
        "overload_min": limits.overload_min,
        "overload_share_numerator": share.numerator,
        "overload_share_denominator": share.denominator,
        "concentration_min": limits.concentration_min,
        "concentration_share_numerator": concentration.numerator,
        "concentration_share_denominator": concentration.denominator,
        "capacity_share_numerator": capacity.numerator,
        "capacity_share_denominator": capacity.denominator,
    }

    def check(rule: AuditRule) -> Iterator[Finding]:
        name = gds_library.REPLACES.get(rule.id) if gds else None
        if rule.id in TRAVERSALS and name is None and not in_database:
            # The rule's own check, on the transitions the pull read.
            yield from rule.check(ctx)
            return
        rows: Iterable[Mapping[str, Any]]
        if rule.id == LOOP and name is None:
            # Loops in plain Cypher: one query per loop, from the starts in turn.
            rows = loop_rows(runner, journey)
        elif rule.id == UNREACHABLE_TOUCHPOINT:
            rows = unreachable_rows(runner, journey, [t.id for t in m.touchpoints])
        else:
            q = library.query(name or f"audit/{rule.id}")
            given = gds_library.parameters(parameters) if name else parameters
            rows = unpacked(
                runner.run(q.text, {key: given[key] for key in q.parameters if key in given})
            )
        for row in rows:
            yield from rule.row_findings(ctx, row)

    return assemble(m, settings, rules, check)


def loop_rows(runner: Runner, journey: str) -> Iterator[dict[str, Any]]:
    """One row per loop of ``journey``, with the columns of ``gds/loop``, each loop once.

    A loop's first touchpoint in map order is led back to from inside the loop,
    so it is among ``audit/loop-starts``. ``audit/loop`` is run from those
    starts in map order, skipping a start that a loop found before holds; its
    rows (one per touchpoint of the loop) are gathered into the loop's row.
    Each run is two breadth-first searches: the whole takes time linear in the
    journey times the number of starts that are in no loop found before, a few
    on a journey drawn in order (finding loops by mutual reachability grew with
    the square of the journey, and ran out of memory at 10,000 touchpoints).

    Examples
    --------
    A database whose one loop holds both starts is asked for it once:

    >>> class Database:
    ...     def run(self, query, parameters):
    ...         if "start" not in parameters:
    ...             return [{"start": "a"}, {"start": "b"}]
    ...         print("loop through", parameters["start"])
    ...         return [
    ...             {"touchpoint": "a", "stage_position": 0, "next": ["b"], "last_stage": 1,
    ...              "intended": []},
    ...             {"touchpoint": "b", "stage_position": 1, "next": ["a"], "last_stage": 1,
    ...              "intended": [["a", "renewal", None]]},
    ...         ]
    >>> list(loop_rows(Database(), "tiny"))  # doctest: +NORMALIZE_WHITESPACE
    loop through a
    [{'entities': ['a', 'b'], 'stage_positions': [0, 1],
      'transitions': [['a', 'b'], ['b', 'a']], 'last_stage': 1,
      'intended': [['b', 'a', 'renewal', None]]}]
    """
    seen: set[str] = set()
    starts = library.query("audit/loop-starts")
    loop = library.query("audit/loop")
    for row in runner.run(starts.text, {"journey": journey}):
        if row["start"] in seen:
            continue
        members = runner.run(loop.text, {"journey": journey, "start": row["start"]})
        if not members:
            continue
        entities = [m["touchpoint"] for m in members]
        seen.update(entities)
        yield {
            "entities": entities,
            "stage_positions": [m["stage_position"] for m in members],
            "transitions": [[m["touchpoint"], b] for m in members for b in m["next"]],
            "last_stage": members[0]["last_stage"],
            "intended": [[m["touchpoint"], *step] for m in members for step in m["intended"]],
        }


def unreachable_rows(
    runner: Runner, journey: str, touchpoints: Iterable[str]
) -> Iterator[dict[str, Any]]:
    """The rows of ``audit/unreachable-touchpoint``: one search from all entries at once.

    A breadth-first search, one ``audit/reach-step`` query a step, from the
    entries ``audit/entries`` lists; each touchpoint is in the frontier of one
    step only, so the whole is linear in the journey, in as many queries as the
    longest way from an entry to the touchpoint it reaches last (one
    ``[:NEXT*]`` search per entry grew with the entries times the journey).

    Parameters
    ----------
    runner
        Runs Cypher.
    journey
        The journey id.
    touchpoints
        The journey's touchpoint ids, those not reached are the rows.

    Examples
    --------
    >>> class Database:
    ...     steps = {("a",): ["b"], ("b",): ["a"]}
    ...     def run(self, query, parameters):
    ...         if "frontier" not in parameters:
    ...             return [{"touchpoint": "a"}]
    ...         return [{"touchpoint": t} for t in self.steps[tuple(parameters["frontier"])]]
    >>> list(unreachable_rows(Database(), "tiny", ["a", "b", "c"]))
    [{'entities': ['c']}]
    """
    entries = library.query("audit/entries")
    step = library.query("audit/reach-step")
    frontier = [row["touchpoint"] for row in runner.run(entries.text, {"journey": journey})]
    reached = set(frontier)
    while frontier:
        rows = runner.run(step.text, {"journey": journey, "frontier": frontier})
        frontier = [row["touchpoint"] for row in rows if row["touchpoint"] not in reached]
        reached.update(frontier)
    return ({"entities": [t]} for t in touchpoints if t not in reached)
