// Answers: the stored departments among $ids that journeys other than
//   $journey also list, with those journeys: a push must not change them.
// Parameters: $journey (journey id), $ids (department ids).
// Returns: id, name, description, journeys.
MATCH (j:Journey)
WHERE j.id <> $journey
UNWIND j.departments AS listed
WITH listed, collect(j.id) AS journeys
WHERE listed IN $ids
MATCH (d:Department {id: listed})
RETURN d.id AS id, d.name AS name, d.description AS description, journeys
