// Answers: removes handoffs the journey's map no longer declares.
// Parameters: $journey (journey id), $rows (source, target).
// Returns: nothing.
UNWIND $rows AS row
MATCH (:JobFunction:JourneyGraph {key: ['JobFunction', row.source]})-[h:HANDS_OFF_TO]->(:JobFunction:JourneyGraph {key: ['JobFunction', row.target]})
WHERE h.journey = $journey
DELETE h
