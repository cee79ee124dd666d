// Answers: removes the org-wide job functions among $ids that no journey lists
//   any more (those a push or delete just unlinked); only journeygraph's own
//   (labelled JourneyGraph), never another application's under the same id.
// Parameters: $ids (job function ids).
// Returns: nothing.
MATCH (f:JobFunction:JourneyGraph)
WHERE f.id IN $ids AND NOT EXISTS { MATCH (:Journey:JourneyGraph)-[:HAS_FUNCTION]->(f) }
DETACH DELETE f
