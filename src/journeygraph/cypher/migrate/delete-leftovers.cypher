// Answers: removes up to $limit nodes that staged pushes of any journey left:
//   retired versions and stand-ins of earlier builds (`neo4j migrate` runs it
//   until it removes none, after each journey's removal of the versions no read
//   meets; a staged push running meanwhile fails at its
//   switch and says to push again).
// Parameters: $limit (nodes per transaction).
// Returns: deleted.
MATCH (n)
WHERE (n:JourneyGraphStaged AND n.key[0] <> 'Revision') OR n:JourneyGraphRetired
WITH n
LIMIT $limit
DETACH DELETE n
RETURN count(*) AS deleted
