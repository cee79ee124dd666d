// Answers: makes a staged version the journey's, in the switch of a staged push:
//   each staged node gets its own label (the first part of its key) and
//   JourneyGraph, and loses JourneyGraphStaged; stand-ins become job functions.
// Parameters: $token (the staged version).
// Returns: promoted (how many nodes).
MATCH (n:JourneyGraphStaged)
WHERE n.staged = $token
FOREACH (_ IN CASE WHEN n.key[0] = 'Stage' THEN [1] ELSE [] END | SET n:Stage)
FOREACH (_ IN CASE WHEN n.key[0] = 'Touchpoint' THEN [1] ELSE [] END | SET n:Touchpoint)
FOREACH (_ IN CASE WHEN n.key[0] = 'Persona' THEN [1] ELSE [] END | SET n:Persona)
FOREACH (_ IN CASE WHEN n.key[0] = 'Opportunity' THEN [1] ELSE [] END | SET n:Opportunity)
FOREACH (_ IN CASE WHEN n.key[0] = 'JobFunction' THEN [1] ELSE [] END | SET n:JobFunction)
SET n:JourneyGraph
REMOVE n:JourneyGraphStaged, n.staged, n.staged_for
RETURN count(n) AS promoted
