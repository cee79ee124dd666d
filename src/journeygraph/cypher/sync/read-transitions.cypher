// Answers: the journey's transitions, in the order of each touchpoint's `next`.
// Parameters: $journey (journey id).
// Returns: source, target, weight, cycle, reason (an intended cycle's name and
//   why), position (within the source's `next`).
MATCH (a:Touchpoint:JourneyGraph {journey: $journey})-[n:NEXT]->(b:Touchpoint:JourneyGraph)
RETURN
  a.id AS source,
  b.id AS target,
  n.weight AS weight,
  n.cycle AS cycle,
  n.reason AS reason,
  n.position AS position
ORDER BY a.position, position
