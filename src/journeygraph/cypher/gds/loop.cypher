// Answers: the loops of the journey, as audit/loop finds them, but by the Graph
//   Data Science library's strongly connected components (gds.scc), in time
//   linear in the transitions, in one query where audit/loop runs once per
//   loop (from each start of audit/loop-starts that no loop found before
//   holds). journeygraph runs it in place of audit/loop when GDS is
//   installed (`journeygraph neo4j audit --gds`).
//   The journey is projected into GDS's memory under $graph, a name journeygraph
//   makes up for the run, and dropped again before the query returns.
// Parameters: $journey (journey id), $graph (the projection's name).
// Returns: entities (the component's touchpoint ids), stage_positions (the
//   journey position of each one's stage, in the same order), transitions (the
//   component's inner transitions as [from, to] pairs), last_stage (the position
//   of the journey's last stage), intended (the inner transitions marked as an
//   intended cycle, as [from, to, cycle, reason]), the columns of audit/loop.
MATCH (t:Touchpoint:JourneyGraph {journey: $journey})
OPTIONAL MATCH (t)-[:NEXT]->(u:Touchpoint:JourneyGraph)
WITH gds.graph.project($graph, t, u) AS projected
// A journey with no touchpoints projects nothing, and has no loop.
WITH projected
WHERE projected IS NOT NULL
CALL gds.scc.stream(projected.graphName) YIELD nodeId, componentId
WITH componentId, collect(gds.util.asNode(nodeId)) AS members
// A component is a loop when it holds two touchpoints or more, or one that
// leads to itself. Aggregating without a key gives one row even with no loop,
// so the projection is always dropped.
WITH collect(
  CASE
    WHEN size(members) > 1 OR EXISTS { MATCH (m)-[:NEXT]->(m) WHERE m = members[0] }
    THEN members
  END
) AS loops
CALL gds.graph.drop($graph, false) YIELD graphName
UNWIND loops AS members
UNWIND members AS m
MATCH (m)-[:IN_STAGE]->(s:Stage:JourneyGraph)
WITH members, collect(m.id) AS entities, collect(s.position) AS stage_positions
UNWIND members AS a
MATCH (a)-[n:NEXT]->(b:Touchpoint:JourneyGraph)
WHERE b IN members
WITH
  entities,
  stage_positions,
  collect(DISTINCT [a.id, b.id]) AS transitions,
  // collect leaves out the nulls: the transitions with no cycle.
  collect(CASE WHEN n.cycle IS NOT NULL THEN [a.id, b.id, n.cycle, n.reason] END) AS intended
RETURN
  entities,
  stage_positions,
  transitions,
  COUNT { MATCH (s:Stage:JourneyGraph {journey: $journey}) } - 1 AS last_stage,
  intended
