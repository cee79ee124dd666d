// Answers: how many relationships another application has to or from the
//   journey's nodes a push is about to remove (any relationship but one of
//   journeygraph's own types with a node of journeygraph's at its other end):
//   Neo4j removes a node with its relationships, so they go too, and the push
//   says how many.
// Parameters: $keys (the keys of the nodes to remove), $own (journeygraph's
//   relationship types).
// Returns: foreign.
UNWIND $keys AS key
MATCH (n:JourneyGraph {key: key})-[r]-(o)
WHERE NOT o:JourneyGraph OR NOT type(r) IN $own
RETURN count(DISTINCT r) AS foreign
