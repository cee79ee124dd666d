// Answers: removes transitions the journey's map no longer has.
// Parameters: $journey (journey id), $rows (source, target).
// Returns: nothing.
UNWIND $rows AS row
MATCH (:Touchpoint:JourneyGraph {journey: $journey, id: row.source})-[n:NEXT]->(:Touchpoint:JourneyGraph {journey: $journey, id: row.target})
DELETE n
