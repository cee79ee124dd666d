// Answers: the journey's declared handoffs, in map order.
// Parameters: $journey (journey id).
// Returns: source, target, name, description, sla, artefact, system, scoped,
//   position.
MATCH (giver:JobFunction:JourneyGraph)-[h:HANDS_OFF_TO]->(taker:JobFunction:JourneyGraph)
WHERE h.journey = $journey
RETURN giver.id AS source, taker.id AS target, h.name AS name, h.description AS description,
  h.sla AS sla, h.artefact AS artefact, h.system AS system, h.scoped AS scoped,
  h.position AS position
ORDER BY position
