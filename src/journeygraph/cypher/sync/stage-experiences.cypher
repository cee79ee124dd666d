// Answers: writes how each staged persona feels each staged touchpoint.
// Parameters: $journey (journey id), $token (the staged version), $rows (persona,
//   touchpoint, emotion, pain_points, quotes, position).
// Returns: nothing.
UNWIND $rows AS row
MATCH (p:JourneyGraphStaged {key: ['Persona', $journey, row.persona]})
WHERE p.staged = $token
MATCH (t:JourneyGraphStaged {key: ['Touchpoint', $journey, row.touchpoint]})
WHERE t.staged = $token
CREATE (p)-[:FEELS {emotion: row.emotion, pain_points: row.pain_points, quotes: row.quotes, position: row.position}]->(t)
