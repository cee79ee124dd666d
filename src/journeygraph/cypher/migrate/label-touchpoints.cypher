// Answers: labels JourneyGraph the touchpoints an earlier release wrote: each
//   :Touchpoint in a stage of a journeygraph journey (IN_STAGE) and carrying
//   that journey's id (run after migrate/label-stages).
// Parameters: none.
// Returns: labelled (how many).
MATCH (t:Touchpoint)-[:IN_STAGE]->(s:Stage:JourneyGraph)
WHERE NOT t:JourneyGraph AND t.journey = s.journey AND t.id IS NOT NULL
SET t:JourneyGraph, t.key = ['Touchpoint', t.journey, t.id]
RETURN count(t) AS labelled
