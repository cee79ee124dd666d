// Answers: removes links from opportunities to touchpoints the map no longer lists.
// Parameters: $journey (journey id), $revision (its current version, `sync/read-revision`), $rows (opportunity, touchpoint).
// Returns: nothing.
UNWIND $rows AS row
MATCH (:Opportunity:JourneyGraph {key: ['Opportunity', $journey, row.opportunity, $revision]})-[i:IMPROVES]->
  (:Touchpoint:JourneyGraph {key: ['Touchpoint', $journey, row.touchpoint, $revision]})
DELETE i
