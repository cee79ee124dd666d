// Answers: takes the journey's stages, touchpoints, personas and opportunities
//   out of every read, in the switch of a staged push: they lose their labels
//   (JourneyGraph and their own) for JourneyGraphRetired, and are removed after
//   the switch, in batches (sync/delete-leftovers); their links go with them.
//   Then, each node locked by that change (no other transaction can add a
//   relationship to it until the switch ends), which of them another application
//   has relationships to or from (any relationship but one of journeygraph's own
//   types with a node of journeygraph's at its other end): the switch keeps those
//   whose key the new version holds (sync/restore-kept).
// Parameters: $journey (journey id), $own (journeygraph's relationship types).
// Returns: node (element id), key, for each retired node another application has
//   relationships to.
MATCH (n:JourneyGraph {journey: $journey})
WHERE n:Stage OR n:Touchpoint OR n:Persona OR n:Opportunity
REMOVE n:JourneyGraph:Stage:Touchpoint:Persona:Opportunity
SET n:JourneyGraphRetired
WITH collect(n) AS retired
UNWIND retired AS n
WITH n
WHERE EXISTS {
  MATCH (n)-[r]-(o)
  WHERE NOT (type(r) IN $own AND (o:JourneyGraph OR o:JourneyGraphRetired))
}
RETURN elementId(n) AS node, n.key AS key
