// Answers: removes opportunities the journey's map no longer has.
// Parameters: $journey (journey id), $revision (its current version, `sync/read-revision`), $rows (id).
// Returns: nothing.
UNWIND $rows AS row
MATCH (o:Opportunity:JourneyGraph {key: ['Opportunity', $journey, row.id, $revision]})
DETACH DELETE o
