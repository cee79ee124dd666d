// Answers: writes the transitions each scoped handoff covers, between the
//   journey's staged touchpoints.
// Parameters: $journey (journey id), $token (the staged version), $rows (giver,
//   taker, source, target, position).
// Returns: nothing.
UNWIND $rows AS row
MATCH (a:JourneyGraphStaged {key: ['Touchpoint', $journey, row.source]})
WHERE a.staged = $token
MATCH (b:JourneyGraphStaged {key: ['Touchpoint', $journey, row.target]})
WHERE b.staged = $token
CREATE (a)-[:HANDOFF_AT {journey: $journey, giver: row.giver, taker: row.taker, position: row.position}]->(b)
