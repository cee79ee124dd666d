// Answers: declared handoffs with no agreed time for the taker to pick the
//   customer up (rule handoff-without-sla).
// Parameters: $journey (journey id), $revision (its current version, `sync/read-revision`).
// Returns: entities (from and to function ids).
MATCH (giver:JobFunction:JourneyGraph)-[h:HANDS_OFF_TO]->(taker:JobFunction:JourneyGraph)
WHERE h.journey = $journey AND h.revision = $revision AND h.sla IS NULL
RETURN [giver.id, taker.id] AS entities
