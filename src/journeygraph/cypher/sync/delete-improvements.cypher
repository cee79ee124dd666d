// Answers: removes links from opportunities to touchpoints the map no longer lists.
// Parameters: $journey (journey id), $rows (opportunity, touchpoint).
// Returns: nothing.
UNWIND $rows AS row
MATCH (:Opportunity:JourneyGraph {key: ['Opportunity', $journey, row.opportunity]})-[i:IMPROVES]->
  (:Touchpoint:JourneyGraph {key: ['Touchpoint', $journey, row.touchpoint]})
DELETE i
