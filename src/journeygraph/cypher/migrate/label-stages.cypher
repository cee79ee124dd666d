// Answers: labels JourneyGraph the stages an earlier release wrote: each
//   :Stage of a journeygraph journey, linked from it (HAS_STAGE) and carrying its id.
// Parameters: none.
// Returns: labelled (how many).
MATCH (j:Journey:JourneyGraph)-[:HAS_STAGE]->(s:Stage)
WHERE NOT s:JourneyGraph AND s.journey = j.id AND s.id IS NOT NULL
SET s:JourneyGraph, s.key = ['Stage', j.id, s.id]
RETURN count(s) AS labelled
