// Answers: labels JourneyGraph the opportunities an earlier release wrote: each
//   :Opportunity of a journeygraph journey, linked from it (HAS_OPPORTUNITY) and carrying its id.
// Parameters: $properties (those journeygraph writes on the label: a node with
//   any other is not journeygraph's).
// Returns: labelled (how many).
MATCH (j:Journey:JourneyGraph)-[:HAS_OPPORTUNITY]->(o:Opportunity)
WHERE NOT o:JourneyGraph AND o.journey = j.id AND o.id IS NOT NULL
  AND all(k IN keys(o) WHERE k IN $properties)
SET o:JourneyGraph, o.key = ['Opportunity', j.id, o.id]
RETURN count(o) AS labelled
