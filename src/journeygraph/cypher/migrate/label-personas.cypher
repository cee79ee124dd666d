// Answers: labels JourneyGraph the personas an earlier release wrote: each
//   :Persona of a journeygraph journey, linked from it (HAS_PERSONA) and carrying its id.
// Parameters: $properties (those journeygraph writes on the label: a node with
//   any other is not journeygraph's).
// Returns: labelled (how many).
MATCH (j:Journey:JourneyGraph)-[:HAS_PERSONA]->(p:Persona)
WHERE NOT p:JourneyGraph AND p.journey = j.id AND p.id IS NOT NULL
  AND all(k IN keys(p) WHERE k IN $properties)
SET p:JourneyGraph, p.key = ['Persona', j.id, p.id]
RETURN count(p) AS labelled
