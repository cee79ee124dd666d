// Answers: touchpoints with no outgoing transition that are not marked as an
//   exit (rule dead-end).
// Parameters: $journey (journey id), $revision (its current version, `sync/read-revision`).
// Returns: entities (the touchpoint id, in a list).
MATCH (t:Touchpoint:JourneyGraph {journey: $journey, revision: $revision})
WHERE NOT t.exit AND NOT EXISTS { MATCH (t)-[:NEXT]->(:Touchpoint:JourneyGraph) }
RETURN [t.id] AS entities
