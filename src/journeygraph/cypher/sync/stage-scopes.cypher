// Answers: writes the transitions each scoped handoff covers, between the
//   journey's staged touchpoints.
// Parameters: $journey (journey id), $revision (the staged version: its revision), $rows (giver,
//   taker, source, target, position).
// Returns: nothing.
UNWIND $rows AS row
MATCH (a:Touchpoint:JourneyGraph {key: ['Touchpoint', $journey, row.source, $revision]})
MATCH (b:Touchpoint:JourneyGraph {key: ['Touchpoint', $journey, row.target, $revision]})
CREATE (a)-[:HANDOFF_AT {journey: $journey, giver: row.giver, taker: row.taker, position: row.position}]->(b)
