// Answers: the job functions the journey lists, with their department and their
//   place in the map's list (`position` on HAS_FUNCTION).
// Parameters: $journey (journey id).
// Returns: id, name, description, department, fte, log_performers, position.
MATCH (:Journey:JourneyGraph {key: ['Journey', $journey]})-[r:HAS_FUNCTION]->(f:JobFunction:JourneyGraph)
OPTIONAL MATCH (f)-[:PART_OF]->(d:Department:JourneyGraph)
RETURN f.id AS id, f.name AS name, f.description AS description, d.id AS department,
  f.fte AS fte, f.log_performers AS log_performers, r.position AS position
