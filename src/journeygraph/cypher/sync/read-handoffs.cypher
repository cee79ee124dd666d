// Answers: the journey's declared handoffs, in map order.
// Parameters: $journey (journey id).
// Returns: source, target, name, description, sla, artefact, system, at_from,
//   at_to, position.
MATCH (giver:JobFunction)-[h:HANDS_OFF_TO]->(taker:JobFunction)
WHERE h.journey = $journey
RETURN giver.id AS source, taker.id AS target, h.name AS name, h.description AS description,
  h.sla AS sla, h.artefact AS artefact, h.system AS system, h.at_from AS at_from,
  h.at_to AS at_to, h.position AS position
ORDER BY position
