// Answers: writes the journey's transitions between its staged touchpoints.
// Parameters: $journey (journey id), $token (the staged version), $rows (source,
//   target, weight, cycle, reason, position).
// Returns: nothing.
UNWIND $rows AS row
MATCH (a:JourneyGraphStaged {key: ['Touchpoint', $journey, row.source]})
WHERE a.staged = $token
MATCH (b:JourneyGraphStaged {key: ['Touchpoint', $journey, row.target]})
WHERE b.staged = $token
CREATE (a)-[:NEXT {weight: row.weight, cycle: row.cycle, reason: row.reason, position: row.position}]->(b)
