// Answers: creates or updates the journey node.
// Parameters: $journey (journey id), $rows (one row: name, description,
//   version, audit, functions, departments).
// Returns: nothing.
UNWIND $rows AS row
MERGE (j:Journey {id: $journey})
SET j.name = row.name, j.description = row.description, j.version = row.version,
  j.audit = row.audit, j.functions = row.functions, j.departments = row.departments
