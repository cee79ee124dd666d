// Answers: the journey node: its name, description, format version, audit
//   settings (JSON text) and the ids of the functions and departments it lists.
// Parameters: $journey (journey id).
// Returns: id, name, description, version, audit, functions, departments.
MATCH (j:Journey {id: $journey})
RETURN j.id AS id, j.name AS name, j.description AS description, j.version AS version,
  j.audit AS audit, j.functions AS functions, j.departments AS departments
