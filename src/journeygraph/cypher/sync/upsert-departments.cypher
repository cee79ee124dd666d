// Answers: creates or updates org-wide departments.
// Parameters: $rows (id, name, description).
// Returns: nothing. Marks each node as journeygraph's (managed_by), so that the
//   sweeps remove only what journeygraph wrote.
UNWIND $rows AS row
MERGE (d:Department {id: row.id})
SET d.name = row.name, d.description = row.description, d.managed_by = 'journeygraph'
