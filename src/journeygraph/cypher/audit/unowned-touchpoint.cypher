// Answers: touchpoints with neither a Responsible nor an Accountable function
//   (rule unowned-touchpoint).
// Parameters: $journey (journey id), $revision (its current version, `sync/read-revision`).
// Returns: entities (the touchpoint id, in a list).
MATCH (t:Touchpoint:JourneyGraph {journey: $journey, revision: $revision})
WHERE NOT EXISTS {
  MATCH (:JobFunction:JourneyGraph)-[o:OWNS]->(t)
  WHERE o.role IN ['R', 'A']
}
RETURN [t.id] AS entities
