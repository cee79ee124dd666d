// Answers: the nodes of other applications that hold an id a push would give a
//   new job function of journeygraph's: label JobFunction, the same id, not labelled
//   JourneyGraph, and no node of journeygraph's has that id yet. journeygraph
//   never takes such a node over: the push refuses, naming it.
// Parameters: $ids (the job function ids the push writes), $properties (those
//   journeygraph writes on the label).
// Returns: id, owner (the node's managed_by, if it says), earlier (true when an
//   earlier release of journeygraph wrote it, as migrate/label-functions tells:
//   `neo4j migrate` labels it).
WITH $properties AS written
MATCH (n:JobFunction)
WHERE n.id IN $ids AND NOT n:JourneyGraph
  AND NOT EXISTS { MATCH (:JobFunction:JourneyGraph {key: ['JobFunction', n.id]}) }
RETURN
  n.id AS id,
  n.managed_by AS owner,
  coalesce(
    n.managed_by = 'journeygraph' AND all(k IN keys(n) WHERE k IN written)
    AND EXISTS { MATCH (:Journey)-[:HAS_FUNCTION]->(n) },
    false
  ) AS earlier
ORDER BY id
