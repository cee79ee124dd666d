// Answers: removes the marks of transitions a handoff no longer covers.
// Parameters: $journey (journey id), $rows (giver, taker, source, target).
// Returns: nothing.
UNWIND $rows AS row
MATCH (:Touchpoint:JourneyGraph {key: ['Touchpoint', $journey, row.source]})-[s:HANDOFF_AT]->
  (:Touchpoint:JourneyGraph {key: ['Touchpoint', $journey, row.target]})
WHERE s.giver = row.giver AND s.taker = row.taker
DELETE s
