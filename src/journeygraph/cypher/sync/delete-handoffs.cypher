// Answers: removes handoffs the journey's map no longer declares.
// Parameters: $journey (journey id), $revision (its current version, `sync/read-revision`), $rows (source, target).
// Returns: nothing.
UNWIND $rows AS row
MATCH (:JobFunction:JourneyGraph {key: ['JobFunction', row.source]})-[h:HANDS_OFF_TO]->(:JobFunction:JourneyGraph {key: ['JobFunction', row.target]})
WHERE h.journey = $journey AND h.revision = $revision
DELETE h
