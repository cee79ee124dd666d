// Answers: removes touchpoints the journey's map no longer has, with their
//   transitions and roles.
// Parameters: $journey (journey id), $revision (its current version, `sync/read-revision`), $rows (id).
// Returns: nothing.
UNWIND $rows AS row
MATCH (t:Touchpoint:JourneyGraph {key: ['Touchpoint', $journey, row.id, $revision]})
DETACH DELETE t
