// Answers: removes the marks of transitions a handoff no longer covers.
// Parameters: $journey (journey id), $rows (giver, taker, source, target).
// Returns: nothing.
UNWIND $rows AS row
MATCH (:Touchpoint:JourneyGraph {journey: $journey, id: row.source})-[s:HANDOFF_AT]->
  (:Touchpoint:JourneyGraph {journey: $journey, id: row.target})
WHERE s.giver = row.giver AND s.taker = row.taker
DELETE s
