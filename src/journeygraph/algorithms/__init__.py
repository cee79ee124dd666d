"""Pure functions over the journey graph; each takes the graph first.

Functions that list things are generators. Those that share expensive
intermediate results (the RACI sets, the transition graph) accept them as
keyword-only arguments, so that an audit computes them once.
"""

from journeygraph.algorithms.coverage import (
    CoverageMatrix,
    CoverageRow,
    coverage_matrix,
    uncovered_stages,
)
from journeygraph.algorithms.customer import (
    Capacity,
    accountability_concentration,
    capacities,
    over_capacity,
    pain_points,
    split_accountability,
    unaddressed_pain_points,
)
from journeygraph.algorithms.handoffs import (
    HandoffGap,
    Scopes,
    changes_of_hands,
    covered,
    declared_handoffs,
    handoff_gap_rows,
    handoff_gaps,
    handoff_scopes,
    handoff_slas,
    handoffs_without_sla,
    needed_handoffs,
    unused_handoffs,
)
from journeygraph.algorithms.journey import (
    stage_of,
    stages,
    touchpoints,
    touchpoints_by_stage,
    transitions,
)
from journeygraph.algorithms.loops import (
    BackEdge,
    BackEdgeKind,
    IntendedEdge,
    Loop,
    LoopKind,
    loops,
    loops_of_component,
    strong_components,
)
from journeygraph.algorithms.ownership import (
    RoleSets,
    department_of,
    external_functions,
    functions,
    home_department,
    raci,
)
from journeygraph.algorithms.reachability import (
    dead_ends,
    entry_touchpoints,
    reachable_touchpoints,
    unreachable_touchpoints,
)
from journeygraph.algorithms.workload import (
    idle_functions,
    overloaded_functions,
    responsible_counts,
)

__all__ = [
    "BackEdge",
    "BackEdgeKind",
    "Capacity",
    "CoverageMatrix",
    "CoverageRow",
    "HandoffGap",
    "IntendedEdge",
    "Loop",
    "LoopKind",
    "RoleSets",
    "Scopes",
    "accountability_concentration",
    "capacities",
    "changes_of_hands",
    "coverage_matrix",
    "covered",
    "dead_ends",
    "declared_handoffs",
    "department_of",
    "entry_touchpoints",
    "external_functions",
    "functions",
    "handoff_gap_rows",
    "handoff_gaps",
    "handoff_scopes",
    "handoff_slas",
    "handoffs_without_sla",
    "home_department",
    "idle_functions",
    "loops",
    "loops_of_component",
    "needed_handoffs",
    "over_capacity",
    "overloaded_functions",
    "pain_points",
    "raci",
    "reachable_touchpoints",
    "responsible_counts",
    "split_accountability",
    "stage_of",
    "stages",
    "strong_components",
    "touchpoints",
    "touchpoints_by_stage",
    "transitions",
    "unaddressed_pain_points",
    "uncovered_stages",
    "unreachable_touchpoints",
    "unused_handoffs",
]
