// Answers: labels JourneyGraph the stages an earlier release wrote: each
//   :Stage of a journeygraph journey, linked from it (HAS_STAGE) and carrying its id.
// Parameters: $properties (those journeygraph writes on the label: a node with
//   any other is not journeygraph's).
// Returns: labelled (how many).
MATCH (j:Journey:JourneyGraph)-[:HAS_STAGE]->(s:Stage)
WHERE NOT s:JourneyGraph AND s.journey = j.id AND s.id IS NOT NULL
  AND all(k IN keys(s) WHERE k IN $properties)
SET s:JourneyGraph, s.key = ['Stage', j.id, s.id]
RETURN count(s) AS labelled
