// Answers: removes personas the journey's map no longer has, with how each felt
//   the touchpoints (FEELS).
// Parameters: $journey (journey id), $rows (id).
// Returns: nothing.
UNWIND $rows AS row
MATCH (p:Persona:JourneyGraph {key: ['Persona', $journey, row.id]})
DETACH DELETE p
