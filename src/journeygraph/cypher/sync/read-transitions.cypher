// Answers: the journey's transitions, packed by columns in one row (each value
//   in a list of one: `journeygraph.store.runner.unpacked`), since the Neo4j
//   driver's Python decodes one record of lists in half the time of a record a
//   transition; each carries its place in its source's `next`.
// Parameters: $journey (journey id), $revision (its current version, `sync/read-revision`).
// Returns: packed (true), source, target, weight, cycle, reason (an intended
//   cycle's name and why), position (within the source's `next`).
MATCH (a:Touchpoint:JourneyGraph {journey: $journey, revision: $revision})-[n:NEXT]->(b:Touchpoint:JourneyGraph)
RETURN
  true AS packed,
  collect([a.id]) AS source,
  collect([b.id]) AS target,
  collect([n.weight]) AS weight,
  collect([n.cycle]) AS cycle,
  collect([n.reason]) AS reason,
  collect([n.position]) AS position
