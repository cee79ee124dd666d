// Answers: the journeys stored in Neo4j, with their size.
// Parameters: none.
// Returns: journey, name, stages, touchpoints, functions.
MATCH (j:Journey)
RETURN
  j.id AS journey,
  j.name AS name,
  COUNT { MATCH (s:Stage) WHERE s.journey = j.id } AS stages,
  COUNT { MATCH (t:Touchpoint) WHERE t.journey = j.id } AS touchpoints,
  COUNT { MATCH (j)-[:HAS_FUNCTION]->(:JobFunction) } AS functions
ORDER BY journey
