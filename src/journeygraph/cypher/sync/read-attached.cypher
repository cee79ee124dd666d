// Answers: which of the journey's stages, touchpoints, personas and opportunities
//   another application has relationships to or from (any relationship but one
//   of journeygraph's own types with a node of journeygraph's at its other end),
//   how many, and whether the staged version $token holds a node of the same key.
//   The switch of a staged push keeps those nodes, with the other application's
//   relationships, in place of the staged ones (sync/unlink-kept,
//   sync/relink-kept, sync/keep-attached); the others left the map, and go with
//   their relationships.
// Parameters: $journey (journey id), $token (the staged version, or '' for none),
//   $own (journeygraph's relationship types).
// Returns: key, foreign (how many relationships), kept (the staged version holds
//   the key).
MATCH (n:JourneyGraph {journey: $journey})
WHERE n:Stage OR n:Touchpoint OR n:Persona OR n:Opportunity
WITH n,
  COUNT { (n)-[r]->(o) WHERE NOT (type(r) IN $own AND o:JourneyGraph) }
  + COUNT { (n)<-[r]-(o) WHERE NOT (type(r) IN $own AND o:JourneyGraph) AND o <> n } AS foreign
WHERE foreign > 0
OPTIONAL MATCH (s:JourneyGraphStaged {key: n.key})
WHERE s.staged = $token
RETURN n.key AS key, foreign, s IS NOT NULL AS kept
