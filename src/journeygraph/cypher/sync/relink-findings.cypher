// Answers: moves up to $limit of the journey's stored findings' links (neo4j
//   audit --write) from the nodes of a version no read meets to the current
//   version's node of the same label and id, after the switch of a staged push
//   and before that version is removed (sync/delete-leftovers), in one
//   transaction that holds the journey's push lock: each such ABOUT is replaced
//   by one to the current node, or goes if the current version has none. Run
//   until it moves none. Not in the switch: it grows with the stored findings.
// Parameters: $journey (journey id), $revision (its current version,
//   `sync/read-revision`), $limit (links per transaction).
// Returns: moved.
MATCH (:Journey:JourneyGraph {key: ['Journey', $journey]})-[:HAS_FINDING]->(x:Finding:JourneyGraph)-[a:ABOUT]->(old:JourneyGraph)
WHERE old.revision <> $revision
WITH x, a, old.key AS key
LIMIT $limit
DELETE a
WITH x, key
OPTIONAL MATCH (now:JourneyGraph {key: [key[0], key[1], key[2], $revision]})
FOREACH (_ IN CASE WHEN now IS NULL THEN [] ELSE [1] END | CREATE (x)-[:ABOUT]->(now))
RETURN count(*) AS moved
