// Answers: creates or updates the journey's transitions.
// Parameters: $journey (journey id), $rows (source, target, weight, cycle,
//   reason, position).
// Returns: nothing.
UNWIND $rows AS row
MATCH (a:Touchpoint:JourneyGraph {key: ['Touchpoint', $journey, row.source]})
MATCH (b:Touchpoint:JourneyGraph {key: ['Touchpoint', $journey, row.target]})
MERGE (a)-[n:NEXT]->(b)
SET n.weight = row.weight, n.cycle = row.cycle, n.reason = row.reason, n.position = row.position
