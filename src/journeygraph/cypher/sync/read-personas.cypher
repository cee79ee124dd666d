// Answers: the journey's personas, in map order.
// Parameters: $journey (journey id), $revision (its current version, `sync/read-revision`).
// Returns: id, name, description, goals, position.
MATCH (p:Persona:JourneyGraph {journey: $journey, revision: $revision})
RETURN p.id AS id, p.name AS name, p.description AS description, p.goals AS goals,
  p.position AS position
ORDER BY position
