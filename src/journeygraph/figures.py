# ruff: noqa: E501  (each definition is one sentence, kept whole on its line)
"""The figures a reader sees, each defined in one sentence: the one source of
docs/figures.md's tables (``scripts/update-docs``) and of the report's method appendix."""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["FIGURES", "Figure"]


class Figure(NamedTuple):
    """One figure: the part of the docs it belongs to, its name, where it appears and
    its definition (Markdown: code in backticks)."""

    section: str
    name: str
    where: str
    definition: str


FIGURES: tuple[Figure, ...] = (
    Figure(
        "From the map",
        "Findings by severity",
        "`audit`'s summary, the report's scorecard, the terminal after `report`, `discover --map` and `actions`",
        "The findings at each severity, the log's checks included, waived findings counted apart.",
    ),
    Figure(
        "From the map",
        "Owned touchpoints",
        "scorecard",
        "The share of touchpoints with a Responsible and an Accountable function.",
    ),
    Figure(
        "From the map",
        "Covered changes of hands",
        "scorecard, `whatif --to-be`",
        "The changes of hands a declared handoff covers (a handoff from a function of R(a) to one of R(b), with no `at` or with `at` listing `[a, b]`), out of all of them; a waived gap is still uncovered, and said apart.",
    ),
    Figure(
        "From the map",
        "Function pairs needing a handoff",
        "scorecard",
        "The pairs of functions that hand customers over, and how many of them have a handoff declared.",
    ),
    Figure(
        "From the map",
        "Loops",
        "scorecard, `loop` findings",
        "The strongly connected components of the transitions with at least two touchpoints or a self-loop.",
    ),
    Figure(
        "From the map",
        "Uncovered stages",
        "scorecard, `matrix`, the heat map",
        "The stages where no touchpoint has a Responsible function.",
    ),
    Figure(
        "From the map",
        "Matrix cell (`R×5 A`)",
        "`matrix`, the heat map, the report",
        "The RACI letters a function holds on a stage's touchpoints, and on how many touchpoints (`R×5`: Responsible on five).",
    ),
    Figure(
        "From the map",
        "Monthly load",
        "the heat map, `capacity-overload`, `whatif --to-be`",
        "The sum of `volume` × `handle_minutes` / \\|R(t)\\| over the touchpoints t a function is Responsible for, against its `fte` × 7,200 minutes (20 days of 6 productive hours).",
    ),
    Figure(
        "From the map",
        "Sole dependence",
        "`whatif` without removals",
        "Per function, the touchpoints where it is the only Responsible, those where it is the only Accountable, and 5 for each stage where it is the only Responsible function: what its removal would leave without R or A, or uncovered.",
    ),
    Figure(
        "From the map",
        "Expected per customer, from the map",
        "`discover --map`, the report",
        "Expected steps, changes of hands and steps back round a loop in the journey read as an absorbing Markov chain: customers start at the entries equally, take transitions in proportion to their `weight` (1 when not given), and an `exit` touchpoint ends the journey with the weight of one transition.",
    ),
    Figure(
        "From an event log",
        "Customers",
        "everywhere with `--log`",
        "The distinct cases of the log (within the segment, with `--since`, `--until`, `--where`).",
    ),
    Figure(
        "From an event log",
        "Fitness",
        "`discover --map`, the report's summary",
        "The share of customers whose whole path starts at an entry, takes only the map's transitions and ends at an exit, with how many missed on each count.",
    ),
    Figure(
        "From an event log",
        "Variant",
        "`discover`, `variants.csv`",
        "The sequence of touchpoints a customer met, with the customers who took it and their share.",
    ),
    Figure(
        "From an event log",
        "End-to-end time",
        "`discover`",
        "Per customer, from their first event to their last; the median and 90th percentile over customers.",
    ),
    Figure(
        "From an event log",
        "Time in a stage",
        "`discover --map`, `stages.csv`, the report",
        "Per customer, the time from each of their events at the stage's touchpoints to their next event, summed; the median and 90th percentile over customers.",
    ),
    Figure(
        "From an event log",
        "Conversion",
        "`discover --map`, the report's table of stages, the canvas's stage headers",
        "Of the customers who met a stage, the share who also met the next.",
    ),
    Figure(
        "From an event log",
        'Share on a flow arrow ("26% of customers")',
        "`render --log`, the report",
        "Of the log's customers, the share who took that step (labelled from 5%).",
    ),
    Figure(
        "From an event log",
        "Left here (⤓ n)",
        "`render --log`, `drop-off`",
        "The customers whose journey ended at that touchpoint without reaching an exit (red from a quarter of those who reached it).",
    ),
    Figure(
        "From an event log",
        "Went round a loop",
        "`rework`, the report",
        "Across stages: the customers who took one of the loop's back edges (a step inside it to a touchpoint of an earlier stage), per way back and in total; within a stage: those who stepped between two of its touchpoints arriving at one they had already visited.",
    ),
    Figure(
        "From an event log",
        "Steps back per customer",
        "`rework`",
        "The steps back of the customers who went round a loop, per customer who went round.",
    ),
    Figure(
        "From an event log",
        "Extra time in a loop",
        "`rework`",
        "The median, over customers who went round, of the time from each step back to regaining the touchpoint left, summed per customer.",
    ),
    Figure(
        "From an event log",
        "Changes of hands per customer",
        "`discover --map`, `whatif --to-be`",
        "The observed steps between touchpoints whose Responsible functions share none, per customer (median, 90th percentile, mean).",
    ),
    Figure(
        "From an event log",
        'Median wait of a handoff ("SLA 1d, median 25.6 h")',
        "`sla-breach`, the handoff network, the blueprint, the canvas",
        "The median time to the next event across every step customers took over the transitions a declared handoff with an `sla` covers; over the SLA, it is breached.",
    ),
    Figure(
        "From an event log",
        "Handover of work",
        "`discover`, `render --view work`, `handovers.csv`",
        "For each pair of performers, how often work passed from one to the other on consecutive steps of a case, and for how many customers.",
    ),
    Figure(
        "From an event log",
        "Share performed by the Responsible",
        "`discover --map` (who really does the work)",
        "Of a touchpoint's events, the share its Responsible functions performed.",
    ),
    Figure(
        "From an event log",
        "Customers touched by a finding",
        "every finding with `--log` (`customers`, `share`)",
        "A touchpoint's visitors; a transition's travellers; a loop's customers who went round it; a stage's or a function's touchpoints' visitors.",
    ),
    Figure(
        "From an event log",
        "Expected per customer, from the log",
        "`discover --map`, the report",
        "The same absorbing Markov chain with the log's frequencies in place of the map's weights.",
    ),
    Figure(
        "In the action plan",
        "Reach",
        "`actions`, the report's action plan, the slides, the workbook",
        "With a log, *customers in the log*: the most customers any of the action's findings touches (an opportunity: the most at one of its touchpoints); without one, *customers a month (map volumes)*: the monthly `volume` of the busiest touchpoint it concerns; blank where its source says nothing. One source for a whole plan, named in the column's header.",
    ),
    Figure(
        "In the action plan",
        "Rank",
        'the same, and "what to do first"',
        "Severity first; then the lowest `emotion` below 0 of the pain points it concerns; then reach (more first, blank last); then the order of the rules; then the title.",
    ),
    Figure(
        "In the action plan",
        "Owner",
        "the same",
        'The Accountable function of what the action is about, never the function it relieves (then that function\'s department), else "to assign"; `owner_reason` says why.',
    ),
    Figure(
        "In a to-be comparison",
        "Customers meeting an undeclared change of hands",
        "`whatif --to-be --log`",
        "The customers of the log whose observed path, replayed against the organisation, takes at least one change of hands no declared handoff covers.",
    ),
    Figure(
        "In a to-be comparison",
        "Customers passing a handoff without an SLA",
        "`whatif --to-be --log`",
        "The customers whose path takes a change of hands covered only by declared handoffs without an `sla`.",
    ),
    Figure(
        "In a to-be comparison",
        "Handoff waits over their SLA",
        "`whatif --to-be --log`",
        "Of the declared steps customers took, those whose wait (the time to the next event) is longer than the longest SLA of the handoffs covering the step.",
    ),
    Figure(
        "In a to-be comparison",
        "Customers spared",
        "`whatif --suggest`",
        "The customers who meet an undeclared change of hands on the as-is and no longer on the map with the change made.",
    ),
)
