// Answers: writes the journey's personas into a staged version.
// Parameters: $journey (journey id), $token (the staged version), $rows (id, name,
//   description, goals, position).
// Returns: nothing.
UNWIND $rows AS row
CREATE (:JourneyGraphStaged {
  key: ['Persona', $journey, row.id], journey: $journey, id: row.id,
  staged: $token, staged_for: $journey,
  name: row.name, description: row.description, goals: row.goals, position: row.position
})
