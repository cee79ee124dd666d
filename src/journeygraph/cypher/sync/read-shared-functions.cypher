// Answers: the stored job functions among $ids that journeys other than
//   $journey also list, with those journeys: a push must not change them.
// Parameters: $journey (journey id), $ids (job function ids).
// Returns: id, name, description, department, journeys.
MATCH (j:Journey)
WHERE j.id <> $journey
UNWIND j.functions AS listed
WITH listed, collect(j.id) AS journeys
WHERE listed IN $ids
MATCH (f:JobFunction {id: listed})
OPTIONAL MATCH (f)-[:PART_OF]->(d:Department)
RETURN f.id AS id, f.name AS name, f.description AS description, d.id AS department, journeys
