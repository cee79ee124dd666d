// Answers: the nodes of other applications that hold an id a push would give a
//   new journey of journeygraph's: label Journey, the same id, not labelled
//   JourneyGraph, and no node of journeygraph's has that id yet. journeygraph
//   never takes such a node over: the push refuses, naming it.
// Parameters: $ids (the journey ids the push writes).
// Returns: id, owner (the node's managed_by, if it says), earlier (true when an
//   earlier release of journeygraph wrote it: `neo4j migrate` labels it).
MATCH (n:Journey)
WHERE n.id IN $ids AND NOT n:JourneyGraph
  AND NOT EXISTS { MATCH (:Journey:JourneyGraph {id: n.id}) }
RETURN n.id AS id, n.managed_by AS owner, coalesce(n.version IS NOT NULL, false) AS earlier
ORDER BY id
