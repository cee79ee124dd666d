// Answers: writes the journey's stages into a staged version (labelled
//   JourneyGraphStaged only, which no read sees, until sync/promote-staged).
// Parameters: $journey (journey id), $revision (the staged version: its revision), $rows (id,
//   name, description, metrics, position).
// Returns: nothing.
UNWIND $rows AS row
CREATE (:Stage:JourneyGraph {
  key: ['Stage', $journey, row.id, $revision], journey: $journey, id: row.id,
  revision: $revision,
  name: row.name, description: row.description, metrics: row.metrics, position: row.position
})
