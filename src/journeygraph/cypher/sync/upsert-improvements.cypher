// Answers: creates or updates the links from the journey's opportunities to the
//   touchpoints they improve (IMPROVES, `position` the place in its list).
// Parameters: $journey (journey id), $revision (its current version, `sync/read-revision`), $rows (opportunity, touchpoint, position).
// Returns: nothing. Runs after the opportunities and touchpoints are written.
UNWIND $rows AS row
MATCH (o:Opportunity:JourneyGraph {key: ['Opportunity', $journey, row.opportunity, $revision]})
MATCH (t:Touchpoint:JourneyGraph {key: ['Touchpoint', $journey, row.touchpoint, $revision]})
MERGE (o)-[i:IMPROVES]->(t)
SET i.position = row.position
