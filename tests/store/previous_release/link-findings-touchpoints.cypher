// Answers: links each stored finding to the touchpoints it is about.
// Parameters: $journey (journey id), $rows (finding: its position, id: a touchpoint id).
// Returns: nothing.
UNWIND $rows AS row
MATCH (x:Finding {journey: $journey, position: row.finding})
MATCH (t:Touchpoint {journey: $journey, id: row.id})
CREATE (x)-[:ABOUT]->(t)
