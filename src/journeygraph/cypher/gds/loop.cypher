// Answers: the loops of the journey, as audit/loop finds them, but by the Graph
//   Data Science library's strongly connected components (gds.scc), in time
//   linear in the transitions, in one query where audit/loop runs once per
//   loop (from each start of audit/loop-starts that no loop found before
//   holds). journeygraph runs it in place of audit/loop when asked to
//   (`journeygraph neo4j audit --gds`, on a server with GDS).
//   The journey is projected into GDS's memory under $graph, a name journeygraph
//   makes up for the run, and dropped again before the query returns.
// Parameters: $journey (journey id), $revision (its current version, `sync/read-revision`), $graph (the projection's name).
// Returns: entities (the component's touchpoint ids), stage_positions (the
//   journey position of each one's stage, in the same order), transitions (the
//   component's inner transitions as [from, to] pairs), last_stage (the position
//   of the journey's last stage), intended (the inner transitions marked as an
//   intended cycle, as [from, to, cycle, reason]), the columns of audit/loop.
MATCH (t:Touchpoint:JourneyGraph {journey: $journey, revision: $revision})
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
    THEN {component: componentId, members: members}
  END
) AS loops
CALL gds.graph.drop($graph, false) YIELD graphName
// The loops' transitions: each met once from each end, both ends in the same
// loop (a lookup in a list of the loop's touchpoints would grow with the square
// of its size), as audit/loop does. Every touchpoint of a loop has one.
UNWIND loops AS loop
UNWIND loop.members AS m
UNWIND [1, -1] AS way
OPTIONAL MATCH (m)-[ahead_step:NEXT]->(target:Touchpoint:JourneyGraph)
WHERE way = 1
OPTIONAL MATCH (source:Touchpoint:JourneyGraph)-[behind_step:NEXT]->(m)
WHERE way = -1
WITH
  loop.component AS component,
  coalesce(ahead_step, behind_step) AS step,
  coalesce(source, m) AS a,
  coalesce(target, m) AS b
WHERE step IS NOT NULL
WITH component, step, a, b, count(*) AS met
WHERE met = 2
WITH
  component,
  collect(DISTINCT a) AS members,
  collect(DISTINCT [a.id, b.id]) AS transitions,
  // collect leaves out the nulls: the transitions with no cycle.
  collect(CASE WHEN step.cycle IS NOT NULL THEN [a.id, b.id, step.cycle, step.reason] END)
    AS intended
RETURN
  [m IN members | m.id] AS entities,
  [m IN members | [(m)-[:IN_STAGE]->(s:Stage:JourneyGraph) | s.position][0]] AS stage_positions,
  transitions,
  COUNT { MATCH (s:Stage:JourneyGraph {journey: $journey, revision: $revision}) } - 1 AS last_stage,
  intended
