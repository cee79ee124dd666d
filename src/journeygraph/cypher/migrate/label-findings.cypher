// Answers: labels JourneyGraph the findings an earlier release stored (`neo4j
//   audit --write`): each :Finding with a rule and a position, of a journeygraph
//   journey. Its `id` is its position, as now written.
// Parameters: none.
// Returns: labelled (how many).
MATCH (x:Finding)
WHERE NOT x:JourneyGraph AND x.rule IS NOT NULL AND x.position IS NOT NULL
  AND EXISTS { MATCH (:Journey:JourneyGraph {id: x.journey}) }
SET x:JourneyGraph, x.id = toString(x.position),
  x.key = ['Finding', x.journey, toString(x.position)]
RETURN count(x) AS labelled
