// Answers: touchpoints with a Responsible function but no Accountable one
//   (rule missing-accountable).
// Parameters: $journey (journey id), $revision (its current version, `sync/read-revision`).
// Returns: entities (the touchpoint id, in a list), responsible (function ids).
MATCH (r:JobFunction:JourneyGraph)-[:OWNS {role: 'R'}]->(t:Touchpoint:JourneyGraph {journey: $journey, revision: $revision})
WHERE NOT EXISTS { MATCH (:JobFunction:JourneyGraph)-[:OWNS {role: 'A'}]->(t) }
RETURN [t.id] AS entities, collect(DISTINCT r.id) AS responsible
