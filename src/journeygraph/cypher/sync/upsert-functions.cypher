// Answers: creates or updates org-wide job functions and their department, and
//   links the journey to each (HAS_FUNCTION, `position` its place in the map).
// Parameters: $journey (journey id), $rows (id, name, description, department,
//   fte, log_performers, position).
// Returns: nothing. Writes journeygraph's own node (labelled JourneyGraph, merged by
//   its key), never another application's under the same id: the push refuses
//   such an id before it writes (sync/foreign-nodes).
MATCH (j:Journey:JourneyGraph {key: ['Journey', $journey]})
UNWIND $rows AS row
MERGE (f:JobFunction:JourneyGraph {key: ['JobFunction', row.id]})
ON CREATE SET f.id = row.id
SET f.name = row.name, f.description = row.description, f.fte = row.fte,
  f.log_performers = row.log_performers
MERGE (j)-[r:HAS_FUNCTION]->(f)
SET r.position = row.position
WITH f, row
OPTIONAL MATCH (f)-[old:PART_OF]->(other:Department:JourneyGraph)
WHERE other.id <> coalesce(row.department, '')
DELETE old
WITH DISTINCT f, row
WHERE row.department IS NOT NULL
MATCH (d:Department:JourneyGraph {key: ['Department', row.department]})
MERGE (f)-[:PART_OF]->(d)
