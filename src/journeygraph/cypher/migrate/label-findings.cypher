// Answers: labels JourneyGraph the findings an earlier release stored (`neo4j
//   audit --write`): each :Finding with a rule and a position, of a journeygraph
//   journey. Its `id` is its position, as now written.
// Parameters: $properties (those journeygraph writes on the label: a node with
//   any other is not journeygraph's).
// Returns: labelled (how many).
MATCH (x:Finding)
WHERE NOT x:JourneyGraph AND x.rule IS NOT NULL AND x.position IS NOT NULL
  AND all(k IN keys(x) WHERE k IN $properties)
  AND EXISTS { MATCH (:Journey:JourneyGraph {id: x.journey}) }
SET x:JourneyGraph, x.id = toString(x.position),
  x.key = ['Finding', x.journey, toString(x.position)]
RETURN count(x) AS labelled
