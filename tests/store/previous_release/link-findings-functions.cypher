// Answers: links each stored finding to the job functions it is about.
// Parameters: $journey (journey id), $rows (finding: its position, id: a job function id).
// Returns: nothing.
UNWIND $rows AS row
MATCH (x:Finding {journey: $journey, position: row.finding})
MATCH (f:JobFunction {id: row.id})
CREATE (x)-[:ABOUT]->(f)
