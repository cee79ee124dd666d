// Answers: removes links from opportunities to touchpoints the map no longer lists.
// Parameters: $journey (journey id), $rows (opportunity, touchpoint).
// Returns: nothing.
UNWIND $rows AS row
MATCH (:Opportunity:JourneyGraph {journey: $journey, id: row.opportunity})-[i:IMPROVES]->
  (:Touchpoint:JourneyGraph {journey: $journey, id: row.touchpoint})
DELETE i
