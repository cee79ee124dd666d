// Answers: removes transitions the journey's map no longer has.
// Parameters: $journey (journey id), $rows (source, target).
// Returns: nothing.
UNWIND $rows AS row
MATCH (:Touchpoint:JourneyGraph {key: ['Touchpoint', $journey, row.source]})-[n:NEXT]->(:Touchpoint:JourneyGraph {key: ['Touchpoint', $journey, row.target]})
DELETE n
