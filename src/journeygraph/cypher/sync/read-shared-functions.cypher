// Answers: the stored job functions among $ids that journeys other than
//   $journey also list, with those journeys: a push must not change them.
// Parameters: $journey (journey id), $ids (job function ids).
// Returns: id, name, description, department, fte, log_performers, journeys.
MATCH (j:Journey:JourneyGraph)-[:HAS_FUNCTION]->(f:JobFunction:JourneyGraph)
WHERE j.id <> $journey AND f.id IN $ids
WITH f, collect(j.id) AS journeys
OPTIONAL MATCH (f)-[:PART_OF]->(d:Department:JourneyGraph)
RETURN f.id AS id, f.name AS name, f.description AS description, d.id AS department,
  f.fte AS fte, f.log_performers AS log_performers, journeys
