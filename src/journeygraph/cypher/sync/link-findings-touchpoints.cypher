// Answers: links each stored finding to the touchpoints it is about.
// Parameters: $journey (journey id), $rows (finding: its id, the position as text; id: a touchpoint id).
// Returns: nothing.
UNWIND $rows AS row
MATCH (x:Finding:JourneyGraph {key: ['Finding', $journey, row.finding]})
MATCH (t:Touchpoint:JourneyGraph {key: ['Touchpoint', $journey, row.id]})
CREATE (x)-[:ABOUT]->(t)
