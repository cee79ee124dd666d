// Answers: how each persona feels each touchpoint of the journey.
// Parameters: $journey (journey id), $revision (its current version, `sync/read-revision`).
// Returns: persona, touchpoint, emotion, pain_points, quotes, position.
MATCH (p:Persona:JourneyGraph {journey: $journey, revision: $revision})-[f:FEELS]->(t:Touchpoint:JourneyGraph)
RETURN p.id AS persona, t.id AS touchpoint, f.emotion AS emotion,
  f.pain_points AS pain_points, f.quotes AS quotes, f.position AS position
ORDER BY touchpoint, position
