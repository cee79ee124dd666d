// Answers: creates or updates the journey node.
// Parameters: $journey (journey id), $fresh (its first revision, if it is new), $rows (one row: name, description,
//   version, audit).
// Returns: nothing. Stages, functions and departments are linked from it as
//   they are written (HAS_STAGE, HAS_FUNCTION, HAS_DEPARTMENT).
UNWIND $rows AS row
MERGE (j:Journey:JourneyGraph {key: ['Journey', $journey]})
ON CREATE SET j.id = $journey, j.revision = $fresh
SET j.name = row.name, j.description = row.description, j.version = row.version,
  j.audit = row.audit
