// Answers: removes stages the journey's map no longer has.
// Parameters: $journey (journey id), $rows (id).
// Returns: nothing.
UNWIND $rows AS row
MATCH (s:Stage:JourneyGraph {key: ['Stage', $journey, row.id]})
DETACH DELETE s
