// Answers: removes up to $limit nodes left by the journey's staged pushes, other
//   than those of the version $token being staged: its retired nodes, and staged
//   versions that never switched. Run until it removes none.
// Parameters: $journey (journey id), $token (the version being staged, or '' for
//   none), $limit (nodes per transaction).
// Returns: deleted.
MATCH (n)
WHERE (n:JourneyGraphStaged AND n.staged_for = $journey AND n.staged <> $token)
  OR (n:JourneyGraphRetired AND n.journey = $journey)
WITH n
LIMIT $limit
DETACH DELETE n
RETURN count(*) AS deleted
