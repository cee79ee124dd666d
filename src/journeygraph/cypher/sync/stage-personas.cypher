// Answers: writes the journey's personas into a staged version.
// Parameters: $journey (journey id), $revision (the staged version: its revision), $rows (id, name,
//   description, goals, position).
// Returns: nothing.
UNWIND $rows AS row
CREATE (:Persona:JourneyGraph {
  key: ['Persona', $journey, row.id, $revision], journey: $journey, id: row.id,
  revision: $revision,
  name: row.name, description: row.description, goals: row.goals, position: row.position
})
