// Answers: creates or updates org-wide departments, and links the journey to
//   each (HAS_DEPARTMENT, `position` its place in the map).
// Parameters: $journey (journey id), $rows (id, name, description, external,
//   position).
// Returns: nothing. Marks each node as journeygraph's (managed_by), so that the
//   sweeps remove only what journeygraph wrote.
MATCH (j:Journey {id: $journey})
UNWIND $rows AS row
MERGE (d:Department {id: row.id})
SET d.name = row.name, d.description = row.description, d.external = row.external,
  d.managed_by = 'journeygraph'
MERGE (j)-[r:HAS_DEPARTMENT]->(d)
SET r.position = row.position
