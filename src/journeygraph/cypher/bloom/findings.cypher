// Answers: the findings stored by `journeygraph neo4j audit JOURNEY --write`,
//   each with the touchpoints, stage or functions it is about.
// Phrase: Findings of $journey
// Parameters: $journey (journey id).
// Returns: x, a, n (nodes and relationships to draw).
MATCH (x:Finding:JourneyGraph {journey: $journey})-[a:ABOUT]->(n)
RETURN x, a, n
