// Answers: the journey's job functions that hold no role on any of its
//   touchpoints and take part in none of its handoffs (rule idle-function).
// Parameters: $journey (journey id).
// Returns: entities (the function id, in a list).
MATCH (:Journey {id: $journey})-[:HAS_FUNCTION]->(f:JobFunction)
WHERE NOT EXISTS { MATCH (f)-[:OWNS]->(:Touchpoint {journey: $journey}) }
  AND NOT EXISTS {
    MATCH (f)-[h:HANDS_OFF_TO]-(:JobFunction)
    WHERE h.journey = $journey
  }
RETURN [f.id] AS entities
