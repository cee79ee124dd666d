// Answers: removes up to $limit nodes that staged pushes of any journey left:
//   retired versions, and staged versions that never switched (`neo4j migrate`
//   runs it until it removes none; a staged push running meanwhile fails at its
//   switch and says to push again).
// Parameters: $limit (nodes per transaction).
// Returns: deleted.
MATCH (n)
WHERE n:JourneyGraphStaged OR n:JourneyGraphRetired
WITH n
LIMIT $limit
DETACH DELETE n
RETURN count(*) AS deleted
