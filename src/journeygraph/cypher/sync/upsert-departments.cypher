// Answers: creates or updates org-wide departments, and links the journey to
//   each (HAS_DEPARTMENT, `position` its place in the map).
// Parameters: $journey (journey id), $rows (id, name, description, external,
//   position).
// Returns: nothing. Writes journeygraph's own node (labelled JourneyGraph, merged by
//   its key), never another application's under the same id: the push refuses
//   such an id before it writes (sync/foreign-nodes).
MATCH (j:Journey:JourneyGraph {key: ['Journey', $journey]})
UNWIND $rows AS row
MERGE (d:Department:JourneyGraph {key: ['Department', row.id]})
ON CREATE SET d.id = row.id
SET d.name = row.name, d.description = row.description, d.external = row.external
MERGE (j)-[r:HAS_DEPARTMENT]->(d)
SET r.position = row.position
