// Answers: which touchpoints each opportunity of the journey improves.
// Parameters: $journey (journey id), $revision (its current version, `sync/read-revision`).
// Returns: opportunity, touchpoint, position.
MATCH (o:Opportunity:JourneyGraph {journey: $journey, revision: $revision})-[i:IMPROVES]->(t:Touchpoint:JourneyGraph)
RETURN o.id AS opportunity, t.id AS touchpoint, i.position AS position
ORDER BY opportunity, position
