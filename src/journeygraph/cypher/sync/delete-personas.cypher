// Answers: removes personas the journey's map no longer has, with how each felt
//   the touchpoints (FEELS).
// Parameters: $journey (journey id), $revision (its current version, `sync/read-revision`), $rows (id).
// Returns: nothing.
UNWIND $rows AS row
MATCH (p:Persona:JourneyGraph {key: ['Persona', $journey, row.id, $revision]})
DETACH DELETE p
