// Answers: removes the marks of transitions a handoff no longer covers.
// Parameters: $journey (journey id), $revision (its current version, `sync/read-revision`), $rows (giver, taker, source, target).
// Returns: nothing.
UNWIND $rows AS row
MATCH (:Touchpoint:JourneyGraph {key: ['Touchpoint', $journey, row.source, $revision]})-[s:HANDOFF_AT]->
  (:Touchpoint:JourneyGraph {key: ['Touchpoint', $journey, row.target, $revision]})
WHERE s.giver = row.giver AND s.taker = row.taker
DELETE s
