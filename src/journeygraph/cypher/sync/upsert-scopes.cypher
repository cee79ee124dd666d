// Answers: marks the transitions a scoped handoff covers: a HANDOFF_AT
//   relationship alongside the NEXT, naming the giver and taker functions.
// Parameters: $journey (journey id), $rows (giver, taker, source, target, position).
// Returns: nothing. Runs after the touchpoints are written.
UNWIND $rows AS row
MATCH (a:Touchpoint:JourneyGraph {key: ['Touchpoint', $journey, row.source]})
MATCH (b:Touchpoint:JourneyGraph {key: ['Touchpoint', $journey, row.target]})
MERGE (a)-[s:HANDOFF_AT {journey: $journey, giver: row.giver, taker: row.taker}]->(b)
SET s.position = row.position
