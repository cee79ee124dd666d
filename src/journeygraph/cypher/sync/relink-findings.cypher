// Answers: moves the journey's stored findings from the stages and touchpoints
//   the switch of a staged push retired to those of the same key that took
//   their place (a finding about one that left the map keeps no link to it).
// Parameters: $journey (journey id).
// Returns: nothing.
MATCH (:Journey:JourneyGraph {key: ['Journey', $journey]})-[:HAS_FINDING]->(x:Finding:JourneyGraph)-[a:ABOUT]->(old:JourneyGraphRetired)
WITH x, a, old.key AS key
DELETE a
WITH x, key
MATCH (now:JourneyGraph {key: key})
CREATE (x)-[:ABOUT]->(now)
