// Answers: links the journey to its stages, personas and opportunities just
//   promoted (the switch of a staged push).
// Parameters: $journey (journey id).
// Returns: nothing.
MATCH (j:Journey:JourneyGraph {key: ['Journey', $journey]})
MATCH (n:JourneyGraph {journey: $journey})
WHERE n:Stage OR n:Persona OR n:Opportunity
FOREACH (_ IN CASE WHEN n:Stage THEN [1] ELSE [] END | MERGE (j)-[:HAS_STAGE]->(n))
FOREACH (_ IN CASE WHEN n:Persona THEN [1] ELSE [] END | MERGE (j)-[:HAS_PERSONA]->(n))
FOREACH (_ IN CASE WHEN n:Opportunity THEN [1] ELSE [] END | MERGE (j)-[:HAS_OPPORTUNITY]->(n))
