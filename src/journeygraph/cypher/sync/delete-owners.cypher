// Answers: removes RACI roles the journey's map no longer has.
// Parameters: $journey (journey id), $revision (its current version, `sync/read-revision`), $rows (function, touchpoint, role).
// Returns: nothing.
UNWIND $rows AS row
MATCH (:JobFunction:JourneyGraph {key: ['JobFunction', row.function]})-[o:OWNS]->(:Touchpoint:JourneyGraph {key: ['Touchpoint', $journey, row.touchpoint, $revision]})
WHERE o.role = row.role
DELETE o
