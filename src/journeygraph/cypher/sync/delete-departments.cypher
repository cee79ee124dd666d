// Answers: unlinks the journey from the departments its map no longer lists
//   (the departments themselves go in sync/delete-orphan-departments, once no
//   journey lists them).
// Parameters: $journey (journey id), $rows (id).
// Returns: nothing.
UNWIND $rows AS row
MATCH (:Journey:JourneyGraph {key: ['Journey', $journey]})-[r:HAS_DEPARTMENT]->(:Department:JourneyGraph {key: ['Department', row.id]})
DELETE r
