// Answers: the journey node: its name, description, format version and audit
//   settings (JSON text); the functions and departments it lists come from
//   sync/read-functions and sync/read-departments, ordered by `position`.
// Parameters: $journey (journey id).
// Returns: id, name, description, version, audit.
MATCH (j:Journey:JourneyGraph {key: ['Journey', $journey]})
RETURN j.id AS id, j.name AS name, j.description AS description, j.version AS version,
  j.audit AS audit
