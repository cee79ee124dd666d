// Answers: creates or updates org-wide departments.
// Parameters: $rows (id, name, description).
// Returns: nothing.
UNWIND $rows AS row
MERGE (d:Department {id: row.id})
SET d.name = row.name, d.description = row.description
