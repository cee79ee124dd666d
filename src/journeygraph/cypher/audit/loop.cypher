// Answers: the loops of the journey, as strongly connected components of the
//   transitions: touchpoints each of which reaches the other (rule loop).
//   Reachability is one set of DISTINCT end nodes per touchpoint, which Neo4j
//   answers with a pruning breadth-first expand; never a listing of cycles.
//   Two touchpoints are in one loop when each reaches the other, so the
//   reachable pairs are counted both ways round, with no list per row.
// Parameters: $journey (journey id).
// Returns: entities (the component's touchpoint ids), stage_positions (the
//   journey position of each one's stage, in the same order), transitions (the
//   component's inner transitions as [from, to] pairs), last_stage (the position
//   of the journey's last stage), intended (the inner transitions marked as an
//   intended cycle, as [from, to, cycle, reason]). journeygraph derives the loop's kind and one
//   representative cycle from these.
MATCH (t:Touchpoint:JourneyGraph {journey: $journey})-[:NEXT*]->(u:Touchpoint:JourneyGraph)
WITH DISTINCT t, u
WITH
  CASE WHEN t.id <= u.id THEN t.id ELSE u.id END AS a,
  CASE WHEN t.id <= u.id THEN u.id ELSE t.id END AS b,
  count(*) AS ways
// Both ways round, or a touchpoint that reaches itself (a cycle through it).
WHERE ways = 2 OR a = b
// The loop's smallest id pairs with every member: it names the loop.
WITH b, min(a) AS root
WITH root, collect(b) AS component
MATCH (m:Touchpoint:JourneyGraph {journey: $journey})-[:IN_STAGE]->(s:Stage:JourneyGraph)
WHERE m.id IN component
WITH component, collect(m.id) AS entities, collect(s.position) AS stage_positions
MATCH (a:Touchpoint:JourneyGraph {journey: $journey})-[n:NEXT]->(b:Touchpoint:JourneyGraph)
WHERE a.id IN component AND b.id IN component
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
