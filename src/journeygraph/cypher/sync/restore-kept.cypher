// Answers: gives back their labels (JourneyGraph and their own, the first part of
//   their key) to the retired nodes the switch of a staged push keeps: another
//   application has relationships to them and the new version holds their key
//   (sync/retire-journey). sync/unlink-kept, sync/relink-kept and
//   sync/keep-attached then make each read as the staged node of its key.
// Parameters: $nodes (element ids of the nodes kept).
// Returns: restored.
UNWIND $nodes AS id
MATCH (n:JourneyGraphRetired)
WHERE elementId(n) = id
REMOVE n:JourneyGraphRetired
SET n:JourneyGraph
FOREACH (_ IN CASE WHEN n.key[0] = 'Stage' THEN [1] ELSE [] END | SET n:Stage)
FOREACH (_ IN CASE WHEN n.key[0] = 'Touchpoint' THEN [1] ELSE [] END | SET n:Touchpoint)
FOREACH (_ IN CASE WHEN n.key[0] = 'Persona' THEN [1] ELSE [] END | SET n:Persona)
FOREACH (_ IN CASE WHEN n.key[0] = 'Opportunity' THEN [1] ELSE [] END | SET n:Opportunity)
RETURN count(n) AS restored
