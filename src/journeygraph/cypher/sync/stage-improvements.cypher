// Answers: writes which staged touchpoints each staged opportunity improves.
// Parameters: $journey (journey id), $token (the staged version), $rows
//   (opportunity, touchpoint, position).
// Returns: nothing.
UNWIND $rows AS row
MATCH (o:JourneyGraphStaged {key: ['Opportunity', $journey, row.opportunity]})
WHERE o.staged = $token
MATCH (t:JourneyGraphStaged {key: ['Touchpoint', $journey, row.touchpoint]})
WHERE t.staged = $token
CREATE (o)-[:IMPROVES {position: row.position}]->(t)
