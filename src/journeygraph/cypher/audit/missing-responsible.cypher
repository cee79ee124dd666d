// Answers: touchpoints with an Accountable function but no Responsible one
//   (rule missing-responsible).
// Parameters: $journey (journey id), $revision (its current version, `sync/read-revision`).
// Returns: entities (the touchpoint id, in a list), accountable (function ids).
MATCH (a:JobFunction:JourneyGraph)-[:OWNS {role: 'A'}]->(t:Touchpoint:JourneyGraph {journey: $journey, revision: $revision})
WHERE NOT EXISTS { MATCH (:JobFunction:JourneyGraph)-[:OWNS {role: 'R'}]->(t) }
RETURN [t.id] AS entities, collect(DISTINCT a.id) AS accountable
