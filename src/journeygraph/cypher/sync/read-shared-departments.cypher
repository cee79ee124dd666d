// Answers: the stored departments among $ids that journeys other than
//   $journey also list, with those journeys: a push must not change them.
// Parameters: $journey (journey id), $ids (department ids).
// Returns: id, name, description, external, journeys.
MATCH (j:Journey:JourneyGraph)-[:HAS_DEPARTMENT]->(d:Department:JourneyGraph)
WHERE j.id <> $journey AND d.id IN $ids
WITH d, collect(j.id) AS journeys
RETURN d.id AS id, d.name AS name, d.description AS description, d.external AS external,
  journeys
