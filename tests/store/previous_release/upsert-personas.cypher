// Answers: creates or updates the journey's personas, each linked from the
//   journey (HAS_PERSONA).
// Parameters: $journey (journey id), $rows (id, name, description, goals, position).
// Returns: nothing. Runs after the journey node is written.
MATCH (j:Journey {id: $journey})
UNWIND $rows AS row
MERGE (p:Persona {journey: $journey, id: row.id})
SET p.name = row.name, p.description = row.description, p.goals = row.goals,
  p.position = row.position
MERGE (j)-[:HAS_PERSONA]->(p)
