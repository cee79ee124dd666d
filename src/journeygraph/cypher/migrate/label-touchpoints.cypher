// Answers: labels JourneyGraph the touchpoints an earlier release wrote: each
//   :Touchpoint in a stage of a journeygraph journey (IN_STAGE) and carrying
//   that journey's id (run after migrate/label-stages).
// Parameters: $properties (those journeygraph writes on the label: a node with
//   any other is not journeygraph's).
// Returns: labelled (how many).
MATCH (t:Touchpoint)-[:IN_STAGE]->(s:Stage:JourneyGraph)
WHERE NOT t:JourneyGraph AND t.journey = s.journey AND t.id IS NOT NULL
  AND all(k IN keys(t) WHERE k IN $properties)
SET t:JourneyGraph, t.key = ['Touchpoint', t.journey, t.id]
RETURN count(t) AS labelled
