// Answers: removes up to $limit nodes left by the journey's staged pushes, other
//   than those of the version $token being staged: its retired nodes, and staged
//   versions that never switched. Run until it removes none. Each node is locked
//   first (its key goes), so that the relationships another application has to
//   or from it (any relationship but one of journeygraph's own types with a node
//   of journeygraph's at its other end), counted then, are those that go with it.
// Parameters: $journey (journey id), $token (the version being staged, or '' for
//   none), $limit (nodes per transaction), $own (journeygraph's relationship
//   types).
// Returns: deleted, foreign (each relationship once; no row when none is left).
MATCH (n)
WHERE (n:JourneyGraphStaged AND n.staged_for = $journey AND n.staged <> $token)
  OR (n:JourneyGraphRetired AND n.journey = $journey)
WITH n
LIMIT $limit
REMOVE n.key
WITH collect(n) AS batch
UNWIND batch AS n
OPTIONAL MATCH (n)-[r]-(o)
WHERE NOT (type(r) IN $own AND (o:JourneyGraph OR o:JourneyGraphRetired OR o:JourneyGraphStaged))
WITH batch, count(DISTINCT r) AS foreign
UNWIND batch AS n
DETACH DELETE n
RETURN count(*) AS deleted, foreign
