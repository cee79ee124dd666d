// Answers: touchpoints with more than one Accountable function
//   (rule multiple-accountable).
// Parameters: $journey (journey id), $revision (its current version, `sync/read-revision`).
// Returns: entities (the touchpoint id, in a list), accountable (function ids).
MATCH (a:JobFunction:JourneyGraph)-[:OWNS {role: 'A'}]->(t:Touchpoint:JourneyGraph {journey: $journey, revision: $revision})
WITH t, collect(DISTINCT a.id) AS accountable
WHERE size(accountable) > 1
RETURN [t.id] AS entities, accountable
