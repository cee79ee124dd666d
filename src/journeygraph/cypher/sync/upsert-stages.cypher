// Answers: creates or updates the journey's stages.
// Parameters: $journey (journey id), $rows (id, name, description, metrics, position).
// Returns: nothing.
UNWIND $rows AS row
MERGE (s:Stage {journey: $journey, id: row.id})
SET s.name = row.name, s.description = row.description, s.metrics = row.metrics,
  s.position = row.position
