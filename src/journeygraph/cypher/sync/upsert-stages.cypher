// Answers: creates or updates the journey's stages, each linked from the journey
//   (HAS_STAGE).
// Parameters: $journey (journey id), $revision (its current version, `sync/read-revision`), $rows (id, name, description, metrics, position).
// Returns: nothing. Runs after the journey node is written.
MATCH (j:Journey:JourneyGraph {key: ['Journey', $journey]})
UNWIND $rows AS row
MERGE (s:Stage:JourneyGraph {key: ['Stage', $journey, row.id, $revision]})
ON CREATE SET s.journey = $journey, s.id = row.id, s.revision = $revision
SET s.name = row.name, s.description = row.description, s.metrics = row.metrics,
  s.position = row.position
MERGE (j)-[:HAS_STAGE]->(s)
