// Answers: creates or updates the links from the journey's opportunities to the
//   touchpoints they improve (IMPROVES, `position` the place in its list).
// Parameters: $journey (journey id), $rows (opportunity, touchpoint, position).
// Returns: nothing. Runs after the opportunities and touchpoints are written.
UNWIND $rows AS row
MATCH (o:Opportunity {journey: $journey, id: row.opportunity})
MATCH (t:Touchpoint {journey: $journey, id: row.touchpoint})
MERGE (o)-[i:IMPROVES]->(t)
SET i.position = row.position
