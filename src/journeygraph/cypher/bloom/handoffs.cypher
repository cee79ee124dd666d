// Answers: the agreed handoffs of a journey, between the functions that give
//   and take the work.
// Phrase: Handoffs of $journey
// Parameters: $journey (journey id).
// Returns: f, h, g (nodes and relationships to draw).
MATCH (j:Journey:JourneyGraph {key: ['Journey', $journey]})
MATCH (f:JobFunction:JourneyGraph)-[h:HANDS_OFF_TO]->(g:JobFunction:JourneyGraph)
WHERE h.journey = $journey AND h.revision = j.revision
RETURN f, h, g
