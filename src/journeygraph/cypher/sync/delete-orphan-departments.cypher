// Answers: removes the org-wide departments among $ids that no journey lists
//   any more (those a push or delete just unlinked); only journeygraph's own
//   (labelled JourneyGraph), never another application's under the same id.
// Parameters: $ids (department ids).
// Returns: nothing.
MATCH (d:Department:JourneyGraph)
WHERE d.id IN $ids AND NOT EXISTS { MATCH (:Journey:JourneyGraph)-[:HAS_DEPARTMENT]->(d) }
DETACH DELETE d
