// Answers: creates or updates how each persona feels a touchpoint (FEELS).
// Parameters: $journey (journey id), $revision (its current version, `sync/read-revision`), $rows (persona, touchpoint, emotion,
//   pain_points, quotes, position).
// Returns: nothing. Runs after the personas and touchpoints are written.
UNWIND $rows AS row
MATCH (p:Persona:JourneyGraph {key: ['Persona', $journey, row.persona, $revision]})
MATCH (t:Touchpoint:JourneyGraph {key: ['Touchpoint', $journey, row.touchpoint, $revision]})
MERGE (p)-[f:FEELS]->(t)
SET f.emotion = row.emotion, f.pain_points = row.pain_points, f.quotes = row.quotes,
  f.position = row.position
