// Answers: removes up to $limit nodes of the journey that no read meets, in one
//   transaction that holds the journey's push lock (so that no switch moves its
//   pointer meanwhile): those of the versions $revisions (sync/read-leftovers)
//   but its current one, the stand-ins of staged pushes but $token's, and the
//   nodes earlier builds' staged pushes left (JourneyGraphRetired). Also counts
//   the relationships of other applications' those nodes have (any but one of
//   journeygraph's types to a node of journeygraph's), which go with them.
//   Run until it removes none.
// Parameters: $journey (journey id), $revision (its current version,
//   `sync/read-revision`), $revisions (the versions to remove), $token (a staged
//   version to keep: the caller's own, or ''), $limit (nodes per transaction),
//   $own (journeygraph's relationship types).
// Returns: deleted, foreign.
CALL () {
  UNWIND $revisions AS revision
  WITH revision
  WHERE revision <> coalesce($revision, '') AND revision <> $token
  MATCH (n:JourneyGraph {journey: $journey, revision: revision})
  WHERE n:Stage OR n:Touchpoint OR n:Persona OR n:Opportunity
  RETURN n
  UNION
  MATCH (n:JourneyGraphRetired)
  WHERE n.journey = $journey
  RETURN n
  UNION
  MATCH (n:JourneyGraphStaged)
  WHERE n.staged_for = $journey AND n.staged <> $token AND n.key[0] <> 'Revision'
  RETURN n
}
WITH n
LIMIT $limit
WITH collect(n) AS batch
UNWIND batch AS n
OPTIONAL MATCH (n)-[r]-(o)
WHERE NOT (type(r) IN $own AND (o:JourneyGraph OR o:JourneyGraphRetired OR o:JourneyGraphStaged))
WITH batch, count(DISTINCT r) AS foreign
UNWIND batch AS n
DETACH DELETE n
RETURN count(*) AS deleted, foreign
