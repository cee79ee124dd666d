// Answers: creates or updates the journey's personas, each linked from the
//   journey (HAS_PERSONA).
// Parameters: $journey (journey id), $revision (its current version, `sync/read-revision`), $rows (id, name, description, goals, position).
// Returns: nothing. Runs after the journey node is written.
MATCH (j:Journey:JourneyGraph {key: ['Journey', $journey]})
UNWIND $rows AS row
MERGE (p:Persona:JourneyGraph {key: ['Persona', $journey, row.id, $revision]})
ON CREATE SET p.journey = $journey, p.id = row.id, p.revision = $revision
SET p.name = row.name, p.description = row.description, p.goals = row.goals,
  p.position = row.position
MERGE (j)-[:HAS_PERSONA]->(p)
