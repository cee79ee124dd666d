// Answers: links the journey to its stages, personas and opportunities just
//   promoted (the switch of a staged push), found by their keys.
// Parameters: $journey (journey id), $keys (the keys of the new version's stages,
//   personas and opportunities).
// Returns: nothing.
MATCH (j:Journey:JourneyGraph {key: ['Journey', $journey]})
UNWIND $keys AS key
MATCH (n:JourneyGraph {key: key})
FOREACH (_ IN CASE WHEN n:Stage THEN [1] ELSE [] END | MERGE (j)-[:HAS_STAGE]->(n))
FOREACH (_ IN CASE WHEN n:Persona THEN [1] ELSE [] END | MERGE (j)-[:HAS_PERSONA]->(n))
FOREACH (_ IN CASE WHEN n:Opportunity THEN [1] ELSE [] END | MERGE (j)-[:HAS_OPPORTUNITY]->(n))
