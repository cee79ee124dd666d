// Answers: takes the journey's stages, touchpoints, personas and opportunities
//   out of every read, in the switch of a staged push: they lose their labels
//   (JourneyGraph and their own) for JourneyGraphRetired, and the journey's
//   links to them go; sync/delete-leftovers removes them after, in batches. Those
//   of $kept, which another application has relationships to, stay as they are
//   (sync/read-attached).
// Parameters: $journey (journey id), $kept (the keys of the nodes kept).
// Returns: retired (how many nodes).
MATCH (n:JourneyGraph {journey: $journey})
WHERE (n:Stage OR n:Touchpoint OR n:Persona OR n:Opportunity) AND NOT n.key IN $kept
OPTIONAL MATCH (n)<-[link:HAS_STAGE|HAS_PERSONA|HAS_OPPORTUNITY]-(:Journey:JourneyGraph)
DELETE link
WITH DISTINCT n
REMOVE n:JourneyGraph:Stage:Touchpoint:Persona:Opportunity
SET n:JourneyGraphRetired
RETURN count(n) AS retired
