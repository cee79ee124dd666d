// Answers: unlinks the journey from the job functions its map no longer lists
//   (the functions themselves go in sync/delete-orphan-functions, once no
//   journey lists them).
// Parameters: $journey (journey id), $rows (id).
// Returns: nothing.
UNWIND $rows AS row
MATCH (:Journey:JourneyGraph {key: ['Journey', $journey]})-[r:HAS_FUNCTION]->(:JobFunction:JourneyGraph {key: ['JobFunction', row.id]})
DELETE r
