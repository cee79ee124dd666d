// Answers: removes handoffs the journey's map no longer declares.
// Parameters: $journey (journey id), $rows (source, target).
// Returns: nothing.
UNWIND $rows AS row
MATCH (:JobFunction:JourneyGraph {id: row.source})-[h:HANDS_OFF_TO]->(:JobFunction:JourneyGraph {id: row.target})
WHERE h.journey = $journey
DELETE h
