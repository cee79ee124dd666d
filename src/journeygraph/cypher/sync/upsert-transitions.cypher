// Answers: creates or updates the journey's transitions.
// Parameters: $journey (journey id), $rows (source, target, weight, position).
// Returns: nothing.
UNWIND $rows AS row
MATCH (a:Touchpoint:JourneyGraph {key: ['Touchpoint', $journey, row.source]})
MATCH (b:Touchpoint:JourneyGraph {key: ['Touchpoint', $journey, row.target]})
MERGE (a)-[n:NEXT]->(b)
SET n.weight = row.weight, n.position = row.position
