// Answers: removes opportunities the journey's map no longer has.
// Parameters: $journey (journey id), $rows (id).
// Returns: nothing.
UNWIND $rows AS row
MATCH (o:Opportunity:JourneyGraph {key: ['Opportunity', $journey, row.id]})
DETACH DELETE o
