// Answers: the nodes of the journey's versions to remove (sync/read-leftovers)
//   that another application has relationships to (any but one of
//   journeygraph's types to a node of journeygraph's), whose label and id its
//   current version holds too, on a node no other application has
//   relationships to: each takes that node's place (sync/keep-attached), so
//   that those relationships keep their identity. Reads the versions to remove
//   and their relationships (after the switch, outside its locks).
// Parameters: $journey (journey id), $revision (its current version,
//   `sync/read-revision`), $revisions (the versions to remove), $own
//   (journeygraph's relationship types).
// Returns: key (of each such node).
UNWIND $revisions AS revision
WITH revision
WHERE revision <> $revision
MATCH (n:JourneyGraph {journey: $journey, revision: revision})
WHERE (n:Stage OR n:Touchpoint OR n:Persona OR n:Opportunity)
  AND EXISTS { MATCH (n)-[r]-(o) WHERE NOT (type(r) IN $own AND o:JourneyGraph) }
MATCH (now:JourneyGraph {key: [n.key[0], n.key[1], n.key[2], $revision]})
WHERE NOT EXISTS { MATCH (now)-[r]-(o) WHERE NOT (type(r) IN $own AND o:JourneyGraph) }
RETURN n.key AS key
