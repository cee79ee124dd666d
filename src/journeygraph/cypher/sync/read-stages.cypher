// Answers: the journey's stages, in journey order.
// Parameters: $journey (journey id), $revision (its current version, `sync/read-revision`).
// Returns: id, name, description, metrics, position.
MATCH (s:Stage:JourneyGraph {journey: $journey, revision: $revision})
RETURN s.id AS id, s.name AS name, s.description AS description, s.metrics AS metrics,
  s.position AS position
ORDER BY position
