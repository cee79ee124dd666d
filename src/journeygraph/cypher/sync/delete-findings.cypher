// Answers: removes the findings an earlier `neo4j audit --write` stored for the
//   journey, before the new ones are written.
// Parameters: $journey (journey id).
// Returns: nothing.
MATCH (x:Finding:JourneyGraph {journey: $journey})
DETACH DELETE x
