// Answers: the findings stored by `journeygraph neo4j audit JOURNEY --write`,
//   each with the touchpoints, stage or functions it is about.
// Phrase: Findings of $journey
// Parameters: $journey (journey id).
// Returns: x, a, n (nodes and relationships to draw).
MATCH (:Journey:JourneyGraph {key: ['Journey', $journey]})-[:HAS_FINDING]->(x:Finding:JourneyGraph)
MATCH (x)-[a:ABOUT]->(n:JourneyGraph)
RETURN x, a, n
