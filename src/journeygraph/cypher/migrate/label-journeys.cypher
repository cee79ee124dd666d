// Answers: labels JourneyGraph the journeys an earlier release of journeygraph
//   wrote: a :Journey with a format `version` and no property journeygraph does
//   not write. Each gets its `key`.
// Parameters: $properties (those journeygraph writes on the label: a node with
//   any other is not journeygraph's).
// Returns: labelled (how many).
MATCH (j:Journey)
WHERE NOT j:JourneyGraph AND j.id IS NOT NULL AND j.version IS NOT NULL
  AND all(k IN keys(j) WHERE k IN $properties)
SET j:JourneyGraph, j.key = ['Journey', j.id]
RETURN count(j) AS labelled
