// Answers: the journey's transitions, in the order of each touchpoint's `next`.
// Parameters: $journey (journey id).
// Returns: source, target, weight, position (within the source's `next`).
MATCH (a:Touchpoint:JourneyGraph {journey: $journey})-[n:NEXT]->(b:Touchpoint:JourneyGraph)
RETURN a.id AS source, b.id AS target, n.weight AS weight, n.position AS position
ORDER BY a.position, position
