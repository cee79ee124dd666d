// Answers: a journey laid out for Bloom: the journey, its stages and their
//   touchpoints, with the customer transitions between them.
// Phrase: Journey $journey
// Parameters: $journey (journey id).
// Returns: j, hs, s, ins, t, nx, u (nodes and relationships to draw).
MATCH (j:Journey:JourneyGraph {key: ['Journey', $journey]})-[hs:HAS_STAGE]->(s:Stage:JourneyGraph)<-[ins:IN_STAGE]-(t:Touchpoint:JourneyGraph)
OPTIONAL MATCH (t)-[nx:NEXT]->(u:Touchpoint:JourneyGraph)
RETURN j, hs, s, ins, t, nx, u
