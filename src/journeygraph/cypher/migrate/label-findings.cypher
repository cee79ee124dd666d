// Answers: labels JourneyGraph the findings an earlier release stored (`neo4j
//   audit --write`): each :Finding of a journeygraph journey with what that
//   release wrote on every finding (rule, position, severity, message,
//   entities) and no property it did not write, unless journeygraph already
//   holds a finding of that journey at that position. Its `id` is its
//   position, as now written.
// Parameters: $properties (those journeygraph writes on the label: a node with
//   any other is not journeygraph's).
// Returns: labelled (how many).
MATCH (x:Finding)
WHERE NOT x:JourneyGraph AND x.rule IS NOT NULL AND x.position IS NOT NULL
  AND x.severity IS NOT NULL AND x.message IS NOT NULL AND x.entities IS NOT NULL
  AND all(k IN keys(x) WHERE k IN $properties)
  AND EXISTS { MATCH (:Journey:JourneyGraph {id: x.journey}) }
  AND NOT EXISTS {
    MATCH (:Finding:JourneyGraph {key: ['Finding', x.journey, toString(x.position)]})
  }
SET x:JourneyGraph, x.id = toString(x.position),
  x.key = ['Finding', x.journey, toString(x.position)]
RETURN count(x) AS labelled
