// Answers: marks the transitions a scoped handoff covers: a HANDOFF_AT
//   relationship alongside the NEXT, naming the giver and taker functions.
// Parameters: $journey (journey id), $revision (its current version, `sync/read-revision`), $rows (giver, taker, source, target, position).
// Returns: nothing. Runs after the touchpoints are written.
UNWIND $rows AS row
MATCH (a:Touchpoint:JourneyGraph {key: ['Touchpoint', $journey, row.source, $revision]})
MATCH (b:Touchpoint:JourneyGraph {key: ['Touchpoint', $journey, row.target, $revision]})
MERGE (a)-[s:HANDOFF_AT {journey: $journey, giver: row.giver, taker: row.taker}]->(b)
SET s.position = row.position
