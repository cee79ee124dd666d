// Answers: the departments the journey lists, with their place in the map's list
//   (`position` on HAS_DEPARTMENT).
// Parameters: $journey (journey id).
// Returns: id, name, description, external, position.
MATCH (:Journey:JourneyGraph {key: ['Journey', $journey]})-[r:HAS_DEPARTMENT]->(d:Department:JourneyGraph)
RETURN d.id AS id, d.name AS name, d.description AS description, d.external AS external,
  r.position AS position
