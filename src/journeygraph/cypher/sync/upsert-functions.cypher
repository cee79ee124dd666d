// Answers: creates or updates org-wide job functions and their department.
// Parameters: $rows (id, name, description, department).
// Returns: nothing. Marks each node as journeygraph's (managed_by), so that the
//   sweeps remove only what journeygraph wrote.
UNWIND $rows AS row
MERGE (f:JobFunction {id: row.id})
SET f.name = row.name, f.description = row.description, f.managed_by = 'journeygraph'
WITH f, row
OPTIONAL MATCH (f)-[old:PART_OF]->(other:Department)
WHERE other.id <> coalesce(row.department, '')
DELETE old
WITH DISTINCT f, row
WHERE row.department IS NOT NULL
MATCH (d:Department {id: row.department})
MERGE (f)-[:PART_OF]->(d)
