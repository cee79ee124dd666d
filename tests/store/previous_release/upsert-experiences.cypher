// Answers: creates or updates how each persona feels a touchpoint (FEELS).
// Parameters: $journey (journey id), $rows (persona, touchpoint, emotion,
//   pain_points, quotes, position).
// Returns: nothing. Runs after the personas and touchpoints are written.
UNWIND $rows AS row
MATCH (p:Persona {journey: $journey, id: row.persona})
MATCH (t:Touchpoint {journey: $journey, id: row.touchpoint})
MERGE (p)-[f:FEELS]->(t)
SET f.emotion = row.emotion, f.pain_points = row.pain_points, f.quotes = row.quotes,
  f.position = row.position
