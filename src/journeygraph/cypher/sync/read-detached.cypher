// Answers: how many relationships another application has to or from the
//   journey's nodes a push is about to remove (any relationship but one of
//   journeygraph's own types with a node of journeygraph's at its other end):
//   Neo4j removes a node with its relationships, so they go too, and the push
//   says how many.
// Parameters: $revision (the journey's current version, `sync/read-revision`:
//   journeygraph reads it for the journey given beside), $keys (the nodes to
//   remove: [label, journey, id], the current version's, or the journey's own
//   key), $own (journeygraph's relationship types).
// Returns: foreign.
UNWIND $keys AS given
WITH CASE WHEN size(given) = 3 THEN given + [$revision] ELSE given END AS key
MATCH (n:JourneyGraph {key: key})-[r]-(o)
WHERE NOT o:JourneyGraph OR NOT type(r) IN $own
RETURN count(DISTINCT r) AS foreign
