// Answers: creates or updates RACI roles on the journey's touchpoints.
// Parameters: $journey (journey id), $revision (its current version, `sync/read-revision`), $rows (function, touchpoint, role, position).
// Returns: nothing.
UNWIND $rows AS row
MATCH (f:JobFunction:JourneyGraph {key: ['JobFunction', row.function]})
MATCH (t:Touchpoint:JourneyGraph {key: ['Touchpoint', $journey, row.touchpoint, $revision]})
MERGE (f)-[o:OWNS {role: row.role}]->(t)
SET o.position = row.position
