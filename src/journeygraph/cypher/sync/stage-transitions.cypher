// Answers: writes the journey's transitions between its staged touchpoints.
// Parameters: $journey (journey id), $revision (the staged version: its revision), $rows (source,
//   target, weight, cycle, reason, position).
// Returns: nothing.
UNWIND $rows AS row
MATCH (a:Touchpoint:JourneyGraph {key: ['Touchpoint', $journey, row.source, $revision]})
MATCH (b:Touchpoint:JourneyGraph {key: ['Touchpoint', $journey, row.target, $revision]})
CREATE (a)-[:NEXT {weight: row.weight, cycle: row.cycle, reason: row.reason, position: row.position}]->(b)
