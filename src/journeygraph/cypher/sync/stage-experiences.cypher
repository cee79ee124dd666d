// Answers: writes how each staged persona feels each staged touchpoint.
// Parameters: $journey (journey id), $revision (the staged version: its revision), $rows (persona,
//   touchpoint, emotion, pain_points, quotes, position).
// Returns: nothing.
UNWIND $rows AS row
MATCH (p:Persona:JourneyGraph {key: ['Persona', $journey, row.persona, $revision]})
MATCH (t:Touchpoint:JourneyGraph {key: ['Touchpoint', $journey, row.touchpoint, $revision]})
CREATE (p)-[:FEELS {emotion: row.emotion, pain_points: row.pain_points, quotes: row.quotes, position: row.position}]->(t)
