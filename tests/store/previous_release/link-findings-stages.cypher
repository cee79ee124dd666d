// Answers: links each stored finding to the stage it is about.
// Parameters: $journey (journey id), $rows (finding: its position, id: a stage id).
// Returns: nothing.
UNWIND $rows AS row
MATCH (x:Finding {journey: $journey, position: row.finding})
MATCH (s:Stage {journey: $journey, id: row.id})
CREATE (x)-[:ABOUT]->(s)
