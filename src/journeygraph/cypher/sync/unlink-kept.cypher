// Answers: removes journeygraph's own relationships (roles, transitions, stages,
//   experiences, improvements, owners) of the journey's nodes that the switch of
//   a staged push keeps because another application has relationships to them
//   (sync/read-attached): those of the staged node of the same key take their
//   place (sync/relink-kept). The journey's links to them and stored findings'
//   stay, and so does every relationship of another application's.
// Parameters: $keys (the keys of the nodes kept).
// Returns: unlinked.
UNWIND $keys AS key
MATCH (:JourneyGraph {key: key})-[r:IN_STAGE|NEXT|HANDOFF_AT|OWNS|OWNED_BY|FEELS|IMPROVES]-(:JourneyGraph)
WITH DISTINCT r
DELETE r
RETURN count(*) AS unlinked
