// Answers: removes the findings an earlier `neo4j audit --write` stored for the
//   journey, before the new ones are written: those its node links to
//   (HAS_FINDING), found from its key, not among every finding of the database.
// Parameters: $journey (journey id).
// Returns: nothing.
MATCH (:Journey:JourneyGraph {key: ['Journey', $journey]})-[:HAS_FINDING]->(x:Finding:JourneyGraph)
DETACH DELETE x
