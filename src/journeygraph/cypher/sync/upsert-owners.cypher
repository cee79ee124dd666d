// Answers: creates or updates RACI roles on the journey's touchpoints.
// Parameters: $journey (journey id), $rows (function, touchpoint, role, position).
// Returns: nothing.
UNWIND $rows AS row
MATCH (f:JobFunction:JourneyGraph {key: ['JobFunction', row.function]})
MATCH (t:Touchpoint:JourneyGraph {key: ['Touchpoint', $journey, row.touchpoint]})
MERGE (f)-[o:OWNS {role: row.role}]->(t)
SET o.position = row.position
