// Answers: creates or updates org-wide job functions and their department, and
//   links the journey to each (HAS_FUNCTION, `position` its place in the map).
// Parameters: $journey (journey id), $rows (id, name, description, department,
//   fte, log_performers, position).
// Returns: nothing. Marks each node as journeygraph's (managed_by), so that the
//   sweeps remove only what journeygraph wrote.
MATCH (j:Journey {id: $journey})
UNWIND $rows AS row
MERGE (f:JobFunction {id: row.id})
SET f.name = row.name, f.description = row.description, f.fte = row.fte,
  f.log_performers = row.log_performers, f.managed_by = 'journeygraph'
MERGE (j)-[r:HAS_FUNCTION]->(f)
SET r.position = row.position
WITH f, row
OPTIONAL MATCH (f)-[old:PART_OF]->(other:Department)
WHERE other.id <> coalesce(row.department, '')
DELETE old
WITH DISTINCT f, row
WHERE row.department IS NOT NULL
MATCH (d:Department {id: row.department})
MERGE (f)-[:PART_OF]->(d)
