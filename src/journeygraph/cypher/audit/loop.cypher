// Answers: the loop through the touchpoint $start, if it is in one: its
//   strongly connected component of the transitions, the touchpoints it reaches
//   that reach it back (rule loop). Two breadth-first searches from $start,
//   one forwards and one backwards, each touchpoint once (collected DISTINCT right after
//   the expand, which Neo4j answers with its pruning expand), then one step
//   from each touchpoint of the loop: time and memory linear in the journey.
//   Searching in the database, journeygraph runs it from the starts of
//   audit/loop-starts in map order, skipping those a loop already found holds,
//   so that each loop is found once, from its first touchpoint in map order
//   (`journeygraph.store.audit.loop_rows`); `neo4j audit` itself finds loops
//   on the transitions its pull of the map read (sync/read-transitions).
// Parameters: $journey (journey id), $revision (its current version, `sync/read-revision`), $start (a touchpoint id).
// Browser: :params {journey: 'b2b-saas', revision: COLLECT { MATCH (j:Journey:JourneyGraph {key: ['Journey', 'b2b-saas']}) RETURN j.revision }[0], start: 'blog-article'}
// Returns: touchpoint (a touchpoint of the loop, one row each), stage_position
//   (the journey position of its stage), next (the touchpoints of the loop it
//   leads to), intended (those of its steps in the loop marked as an intended
//   cycle, as [to, cycle, reason]) and last_stage (the position of the
//   journey's last stage). No row when $start is in no loop. journeygraph
//   derives the loop's kind and one representative cycle from these.
MATCH (start:Touchpoint:JourneyGraph {journey: $journey, revision: $revision, id: $start})
// What $start reaches and what reaches it, each touchpoint once: a touchpoint
// on both sides is in the loop. Every step's far end is journeygraph's
// touchpoint: a way through another application's nodes (its NEXT to and
// from journeygraph's touchpoints) is not a way of the journey. Each search
// runs once: the second after the first's one row (run for each row of the
// first, though for none of them, it took 43 s at 10,000 touchpoints).
MATCH (start)(()-[:NEXT]->(:Touchpoint:JourneyGraph)){0,}(ahead:Touchpoint:JourneyGraph)
WITH start, collect(DISTINCT ahead) AS ahead
MATCH (start)(()<-[:NEXT]-(:Touchpoint:JourneyGraph)){0,}(behind:Touchpoint:JourneyGraph)
WITH ahead, collect(DISTINCT behind) AS behind
UNWIND ahead + behind AS both
WITH both.id AS member, count(*) AS sides
WHERE sides = 2
// The loop's transitions: each met once from each end, both ends in the loop
// (a lookup in a list of the loop's touchpoints would grow with the square of
// its size). A touchpoint alone is a loop only if it leads to itself.
MATCH (m:Touchpoint:JourneyGraph {journey: $journey, revision: $revision, id: member})
UNWIND [1, -1] AS way
OPTIONAL MATCH (m)-[ahead_step:NEXT]->(target:Touchpoint:JourneyGraph)
WHERE way = 1
OPTIONAL MATCH (source:Touchpoint:JourneyGraph)-[behind_step:NEXT]->(m)
WHERE way = -1
WITH
  m,
  source,
  target,
  coalesce(ahead_step.cycle, behind_step.cycle) AS cycle,
  coalesce(ahead_step.reason, behind_step.reason) AS reason
WHERE source IS NOT NULL OR target IS NOT NULL
WITH
  coalesce(source, m).id AS a,
  coalesce(target, m).id AS b,
  count(*) AS met,
  max(cycle) AS cycle,
  max(reason) AS reason
WHERE met = 2
WITH
  a,
  collect(b) AS next,
  // collect leaves out the nulls: the steps with no cycle.
  collect(CASE WHEN cycle IS NOT NULL THEN [b, cycle, reason] END) AS intended
MATCH (:Touchpoint:JourneyGraph {journey: $journey, revision: $revision, id: a})-[:IN_STAGE]->(s:Stage:JourneyGraph)
RETURN
  a AS touchpoint,
  s.position AS stage_position,
  next,
  intended,
  COUNT { MATCH (x:Stage:JourneyGraph {journey: $journey, revision: $revision}) } - 1 AS last_stage
