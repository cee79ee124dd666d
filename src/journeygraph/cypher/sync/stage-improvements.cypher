// Answers: writes which staged touchpoints each staged opportunity improves.
// Parameters: $journey (journey id), $revision (the staged version: its revision), $rows
//   (opportunity, touchpoint, position).
// Returns: nothing.
UNWIND $rows AS row
MATCH (o:Opportunity:JourneyGraph {key: ['Opportunity', $journey, row.opportunity, $revision]})
MATCH (t:Touchpoint:JourneyGraph {key: ['Touchpoint', $journey, row.touchpoint, $revision]})
CREATE (o)-[:IMPROVES {position: row.position}]->(t)
