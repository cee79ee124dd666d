// Answers: writes the journey's stages into a staged version (labelled
//   JourneyGraphStaged only, which no read sees, until sync/promote-staged).
// Parameters: $journey (journey id), $token (the staged version), $rows (id,
//   name, description, metrics, position).
// Returns: nothing.
UNWIND $rows AS row
CREATE (:JourneyGraphStaged {
  key: ['Stage', $journey, row.id], journey: $journey, id: row.id,
  staged: $token, staged_for: $journey,
  name: row.name, description: row.description, metrics: row.metrics, position: row.position
})
