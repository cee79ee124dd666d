// Answers: removes the org-wide departments among $ids that no journey lists
//   any more (those a push or delete just unlinked); only journeygraph's own
//   (labelled JourneyGraph), never another application's under the same id;
//   counts the relationships another application has to or from them (any
//   relationship but one of journeygraph's own types with a node of
//   journeygraph's at its other end), which go with them.
// Parameters: $ids (department ids), $own (journeygraph's relationship types).
// Returns: foreign (each relationship once, one between two of them too),
//   removed (how many departments; no row when none).
MATCH (d:Department:JourneyGraph)
WHERE d.id IN $ids AND NOT EXISTS { MATCH (:Journey:JourneyGraph)-[:HAS_DEPARTMENT]->(d) }
OPTIONAL MATCH (d)-[r]-(o)
WHERE NOT o:JourneyGraph OR NOT type(r) IN $own
WITH collect(DISTINCT d.id) AS gone, count(DISTINCT r) AS foreign
UNWIND gone AS id
MATCH (d:Department:JourneyGraph {key: ['Department', id]})
DETACH DELETE d
RETURN foreign, count(*) AS removed
