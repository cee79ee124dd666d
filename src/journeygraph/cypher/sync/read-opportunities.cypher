// Answers: the journey's opportunities with their owner, in map order.
// Parameters: $journey (journey id), $revision (its current version, `sync/read-revision`).
// Returns: id, name, description, owner, status, priority, position.
MATCH (o:Opportunity:JourneyGraph {journey: $journey, revision: $revision})
OPTIONAL MATCH (o)-[:OWNED_BY]->(f:JobFunction:JourneyGraph)
RETURN o.id AS id, o.name AS name, o.description AS description, f.id AS owner,
  o.status AS status, o.priority AS priority, o.position AS position
ORDER BY position
