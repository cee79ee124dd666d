// Answers: labels JourneyGraph the journeys an earlier release of journeygraph
//   wrote: a :Journey with the format's `version` (1), no property journeygraph
//   does not write, and a first stage of its own (HAS_STAGE to a :Stage of its
//   id at position 0: every map has one). Each gets its `key`. Another
//   application's :Journey with a `version` of its own, or without such a stage,
//   is left alone (sync/foreign-journeys tells the two apart the same way).
// Parameters: $properties (those journeygraph writes on the label: a node with
//   any other is not journeygraph's).
// Returns: labelled (how many).
MATCH (j:Journey)
WHERE NOT j:JourneyGraph AND j.id IS NOT NULL AND j.version = 1
  AND all(k IN keys(j) WHERE k IN $properties)
  AND EXISTS { MATCH (j)-[:HAS_STAGE]->(:Stage {journey: j.id, position: 0}) }
SET j:JourneyGraph, j.key = ['Journey', j.id]
RETURN count(j) AS labelled
