// Answers: links each stored finding to the stage it is about.
// Parameters: $journey (journey id), $revision (its current version, `sync/read-revision`), $rows (finding: its id, the position as text; id: a stage id).
// Returns: nothing.
UNWIND $rows AS row
MATCH (x:Finding:JourneyGraph {key: ['Finding', $journey, row.finding]})
MATCH (s:Stage:JourneyGraph {key: ['Stage', $journey, row.id, $revision]})
CREATE (x)-[:ABOUT]->(s)
