// Answers: a journey's entries, where audit/reach-step's search starts: the
//   touchpoints marked `entry: true` or, when none is, every touchpoint of the
//   first stage (rule unreachable-touchpoint).
// Parameters: $journey (journey id), $revision (its current version, `sync/read-revision`).
// Returns: touchpoint (a touchpoint id).
OPTIONAL MATCH (marked:Touchpoint:JourneyGraph {journey: $journey, revision: $revision})
WHERE marked.entry
WITH count(marked) > 0 AS any_marked
MATCH (e:Touchpoint:JourneyGraph {journey: $journey, revision: $revision})-[:IN_STAGE]->(s:Stage:JourneyGraph)
WHERE e.entry OR (NOT any_marked AND s.position = 0)
RETURN e.id AS touchpoint
