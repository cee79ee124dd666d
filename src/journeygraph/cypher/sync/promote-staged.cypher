// Answers: makes the stand-ins of a staged version job functions, in the switch
//   of a staged push (one per function journeygraph did not hold: few).
// Parameters: $revision (the staged version).
// Returns: promoted (how many stand-ins).
MATCH (n:JourneyGraphStaged)
WHERE n.staged = $revision AND n.key[0] = 'JobFunction'
SET n:JobFunction:JourneyGraph
REMOVE n:JourneyGraphStaged, n.staged, n.staged_for
RETURN count(n) AS promoted
