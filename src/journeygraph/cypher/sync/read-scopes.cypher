// Answers: the transitions each scoped handoff of the journey covers.
// Parameters: $journey (journey id), $revision (its current version, `sync/read-revision`).
// Returns: giver, taker, source, target, position.
MATCH (a:Touchpoint:JourneyGraph {journey: $journey, revision: $revision})-[s:HANDOFF_AT]->(b:Touchpoint:JourneyGraph)
RETURN s.giver AS giver, s.taker AS taker, a.id AS source, b.id AS target,
  s.position AS position
ORDER BY giver, taker, position
