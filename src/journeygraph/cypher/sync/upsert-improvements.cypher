// Answers: creates or updates the links from the journey's opportunities to the
//   touchpoints they improve (IMPROVES, `position` the place in its list).
// Parameters: $journey (journey id), $rows (opportunity, touchpoint, position).
// Returns: nothing. Runs after the opportunities and touchpoints are written.
UNWIND $rows AS row
MATCH (o:Opportunity:JourneyGraph {key: ['Opportunity', $journey, row.opportunity]})
MATCH (t:Touchpoint:JourneyGraph {key: ['Touchpoint', $journey, row.touchpoint]})
MERGE (o)-[i:IMPROVES]->(t)
SET i.position = row.position
