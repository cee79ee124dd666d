// Answers: who holds which RACI role on each touchpoint of a journey, with the
//   departments of those functions.
// Phrase: Owners of $journey
// Parameters: $journey (journey id).
// Returns: f, o, t, po, d (nodes and relationships to draw).
MATCH (j:Journey:JourneyGraph {key: ['Journey', $journey]})
MATCH (f:JobFunction:JourneyGraph)-[o:OWNS]->(t:Touchpoint:JourneyGraph {journey: $journey, revision: j.revision})
OPTIONAL MATCH (f)-[po:PART_OF]->(d:Department:JourneyGraph)
RETURN f, o, t, po, d
