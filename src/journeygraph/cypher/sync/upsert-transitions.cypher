// Answers: creates or updates the journey's transitions.
// Parameters: $journey (journey id), $revision (its current version, `sync/read-revision`), $rows (source, target, weight, cycle,
//   reason, position).
// Returns: nothing.
UNWIND $rows AS row
MATCH (a:Touchpoint:JourneyGraph {key: ['Touchpoint', $journey, row.source, $revision]})
MATCH (b:Touchpoint:JourneyGraph {key: ['Touchpoint', $journey, row.target, $revision]})
MERGE (a)-[n:NEXT]->(b)
SET n.weight = row.weight, n.cycle = row.cycle, n.reason = row.reason, n.position = row.position
