// Answers: removes transitions the journey's map no longer has.
// Parameters: $journey (journey id), $revision (its current version, `sync/read-revision`), $rows (source, target).
// Returns: nothing.
UNWIND $rows AS row
MATCH (:Touchpoint:JourneyGraph {key: ['Touchpoint', $journey, row.source, $revision]})-[n:NEXT]->(:Touchpoint:JourneyGraph {key: ['Touchpoint', $journey, row.target, $revision]})
DELETE n
