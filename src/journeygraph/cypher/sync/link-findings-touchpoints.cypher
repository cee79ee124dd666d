// Answers: links each stored finding to the touchpoints it is about.
// Parameters: $journey (journey id), $revision (its current version, `sync/read-revision`), $rows (finding: its id, the position as text; id: a touchpoint id).
// Returns: nothing.
UNWIND $rows AS row
MATCH (x:Finding:JourneyGraph {key: ['Finding', $journey, row.finding]})
MATCH (t:Touchpoint:JourneyGraph {key: ['Touchpoint', $journey, row.id, $revision]})
CREATE (x)-[:ABOUT]->(t)
