// Answers: moves the journey's stored findings (neo4j audit --write) to the
//   nodes of the same id in its current version, in the switch of a staged
//   push: each ABOUT to a node of another version is replaced by one to the
//   current version's node of the same label and id.
// Parameters: $journey (journey id), $revision (the version switched to).
// Returns: nothing.
MATCH (:Journey:JourneyGraph {key: ['Journey', $journey]})-[:HAS_FINDING]->(x:Finding:JourneyGraph)-[a:ABOUT]->(old:JourneyGraph)
WHERE old.revision <> $revision
WITH x, a, old.key AS key
DELETE a
WITH x, key
MATCH (now:JourneyGraph {key: [key[0], key[1], key[2], $revision]})
CREATE (x)-[:ABOUT]->(now)
