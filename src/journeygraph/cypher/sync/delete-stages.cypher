// Answers: removes stages the journey's map no longer has.
// Parameters: $journey (journey id), $revision (its current version, `sync/read-revision`), $rows (id).
// Returns: nothing.
UNWIND $rows AS row
MATCH (s:Stage:JourneyGraph {key: ['Stage', $journey, row.id, $revision]})
DETACH DELETE s
