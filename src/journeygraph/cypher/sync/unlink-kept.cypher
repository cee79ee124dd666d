// Answers: removes journeygraph's own relationships (roles, transitions, stages,
//   experiences, improvements, owners) of the journey's nodes that the switch of
//   a staged push keeps because another application has relationships to them
//   (sync/retire-journey): those of the staged node of the same key take their
//   place (sync/relink-kept). Those to the retired nodes of the old version go
//   too, so that no path of the new version leads through one. The journey's
//   links to them and stored findings' stay, and so does every relationship of
//   another application's.
// Parameters: $keys (the keys of the nodes kept).
// Returns: unlinked.
UNWIND $keys AS key
MATCH (:JourneyGraph {key: key})-[r:IN_STAGE|NEXT|HANDOFF_AT|OWNS|OWNED_BY|FEELS|IMPROVES]-(o)
WHERE o:JourneyGraph OR o:JourneyGraphRetired
WITH DISTINCT r
DELETE r
RETURN count(*) AS unlinked
