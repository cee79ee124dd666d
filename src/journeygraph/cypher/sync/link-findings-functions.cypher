// Answers: links each stored finding to the job functions it is about.
// Parameters: $journey (journey id), $rows (finding: its id, the position as text; id: a job function id).
// Returns: nothing.
UNWIND $rows AS row
MATCH (x:Finding:JourneyGraph {key: ['Finding', $journey, row.finding]})
MATCH (f:JobFunction:JourneyGraph {key: ['JobFunction', row.id]})
CREATE (x)-[:ABOUT]->(f)
