// Answers: removes up to $limit nodes of the journey that no read meets, in one
//   transaction that holds the journey's push lock (so that no switch moves its
//   pointer meanwhile): those of the versions $revisions (sync/read-leftovers)
//   but its current one, the stand-ins of staged pushes but $token's, and the
//   nodes earlier builds' staged pushes left (JourneyGraphRetired). Also counts
//   the relationships of other applications' those nodes have (any but one of
//   journeygraph's types to a node of journeygraph's), which go with them; but
//   a node of a version that another application has relationships to, whose
//   label and id the current version holds on a node no other application has
//   relationships to, is kept: its key is returned, and sync/keep-attached
//   makes it the current version's node in the same transaction. Run until it
//   removes and keeps none.
// Parameters: $journey (journey id), $revision (its current version,
//   `sync/read-revision`), $revisions (the versions to remove), $token (a staged
//   version to keep: the caller's own, or ''), $limit (nodes per transaction),
//   $own (journeygraph's relationship types).
// Returns: deleted, foreign, kept (keys).
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
// Each node locked before its relationships are looked at: another application's
// transaction cannot add one to it unseen until this one ends.
SET n.doomed = true
WITH n,
  EXISTS {
    MATCH (n)-[r]-(o)
    WHERE NOT (type(r) IN $own AND (o:JourneyGraph OR o:JourneyGraphRetired OR o:JourneyGraphStaged))
  } AS attached
WITH n, attached AND n:JourneyGraph AND n.revision IS NOT NULL AND EXISTS {
    MATCH (now:JourneyGraph {key: [n.key[0], n.key[1], n.key[2], $revision]})
    WHERE NOT EXISTS { MATCH (now)-[r]-(o) WHERE NOT (type(r) IN $own AND o:JourneyGraph) }
  } AS keep
WITH collect(CASE WHEN keep THEN n.key END) AS kept, collect(CASE WHEN NOT keep THEN n END) AS gone
CALL (gone) {
  UNWIND gone AS n
  OPTIONAL MATCH (n)-[r]-(o)
  WHERE NOT (type(r) IN $own AND (o:JourneyGraph OR o:JourneyGraphRetired OR o:JourneyGraphStaged))
  RETURN count(DISTINCT r) AS foreign
}
FOREACH (n IN gone | DETACH DELETE n)
RETURN size(gone) AS deleted, foreign, kept
