// Answers: removes RACI roles the journey's map no longer has.
// Parameters: $journey (journey id), $rows (function, touchpoint, role).
// Returns: nothing.
UNWIND $rows AS row
MATCH (:JobFunction:JourneyGraph {key: ['JobFunction', row.function]})-[o:OWNS]->(:Touchpoint:JourneyGraph {key: ['Touchpoint', $journey, row.touchpoint]})
WHERE o.role = row.role
DELETE o
