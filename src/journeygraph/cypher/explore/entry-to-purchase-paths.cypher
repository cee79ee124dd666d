// Answers: the shortest ways customers can go from an entry touchpoint to a
//   chosen touchpoint (a purchase, say), each with its number of changes of
//   hands (steps between touchpoints whose Responsible functions share none),
//   those with the most changes of hands first. Entries are the touchpoints
//   marked `entry: true` or, when none is, those of the first stage. One
//   shortest path (of up to 1,000 steps) from each entry that reaches the
//   target: at each step, the first transition (in the order of the
//   touchpoint's `next`) that leads one step nearer. A target that is an entry
//   itself is listed from the other entries only. Time linear in the journey
//   (and in the paths returned): one breadth-first search backwards from the
//   target gives each touchpoint's distance, each touchpoint once, then each
//   path follows the chosen steps (one shortest-path search per entry took
//   239 s at 10,000 touchpoints with 2,000 entries; listing paths, as the
//   k-shortest SHORTEST 20 did, explodes on a looping journey).
// Parameters: $journey (journey id), $revision (its current version, `sync/read-revision`), $target (touchpoint id), $limit (the
//   most paths to return).
// Browser: :params {journey: 'b2b-saas', revision: COLLECT { MATCH (j:Journey:JourneyGraph {key: ['Journey', 'b2b-saas']}) RETURN j.revision }[0], target: 'signature', limit: 5}
// Returns: path (touchpoint ids), steps, changes_of_hands.
OPTIONAL MATCH (marked:Touchpoint:JourneyGraph {journey: $journey, revision: $revision})
WHERE marked.entry
WITH count(marked) > 0 AS any_marked
MATCH (t:Touchpoint:JourneyGraph {key: ['Touchpoint', $journey, $target, $revision]})
// How far each touchpoint is from the target, in steps: Neo4j's pruning
// breadth-first expand keeps the depth, and meets each touchpoint once. Every
// step's source is journeygraph's: a way through another application's nodes
// (its NEXT to and from journeygraph's touchpoints) is not a way of the journey.
MATCH p = (t)(()<-[:NEXT]-(:JourneyGraph)){0,1000}(x:Touchpoint:JourneyGraph)
WITH any_marked, x, min(length(p)) AS far
// The steps one nearer the target, each met once from each end (a lookup of
// distances in a list would grow with the square of the journey): from its
// source (way 1, `far` of the source) and its target (way -1).
UNWIND [1, -1] AS way
OPTIONAL MATCH (x)-[ahead:NEXT]->(:Touchpoint:JourneyGraph)
WHERE way = 1
OPTIONAL MATCH (:Touchpoint:JourneyGraph)-[behind:NEXT]->(x)
WHERE way = -1
WITH
  any_marked,
  coalesce(ahead, behind) AS step,
  sum(way * far) AS gap,
  count(*) AS met,
  max(CASE way WHEN 1 THEN far END) AS far
WHERE step IS NOT NULL AND met = 2 AND gap = 1
WITH any_marked, startNode(step) AS a, endNode(step) AS b, far, step.position AS position
ORDER BY position
// Each touchpoint's way on: its first step one nearer, in the order of its `next`.
WITH any_marked, a, far, collect(b)[0] AS b
OPTIONAL MATCH (a)-[:IN_STAGE]->(s:Stage:JourneyGraph)
WITH
  a,
  b,
  far,
  coalesce(a.entry OR (NOT any_marked AND s.position = 0), false) AS entry,
  COLLECT { MATCH (f:JobFunction:JourneyGraph)-[:OWNS {role: 'R'}]->(a) RETURN f.id } AS givers,
  COLLECT { MATCH (f:JobFunction:JourneyGraph)-[:OWNS {role: 'R'}]->(b) RETURN f.id } AS takers
WITH collect({
  at: a.position,
  to: b.position,
  far: far,
  entry: entry,
  change: CASE
    WHEN size(givers) > 0 AND size(takers) > 0 AND none(id IN takers WHERE id IN givers)
    THEN 1 ELSE 0
  END
}) AS ways
// One row per touchpoint, in map order, so that a touchpoint's row is at its
// position (positions run 0, 1, ... in a journey): [way on, change, id].
MATCH (u:Touchpoint:JourneyGraph {journey: $journey, revision: $revision})
WITH ways, collect({at: u.position, id: u.id}) AS everyone
UNWIND ways + everyone AS row
WITH
  row.at AS at,
  max(row.to) AS to,
  max(row.change) AS change,
  max(row.id) AS id,
  max(row.far) AS far,
  max(row.entry) AS entry
ORDER BY at
WITH collect([to, change, id]) AS table, collect(CASE WHEN entry THEN [at, far] END) AS starts
UNWIND starts AS start
WITH table, start[1] AS steps, reduce(path = [start[0]], k IN range(1, start[1]) |
  path + table[last(path)][0]) AS path
RETURN
  [at IN path | table[at][2]] AS path,
  steps,
  reduce(n = 0, at IN path[..-1] | n + table[at][1]) AS changes_of_hands
ORDER BY changes_of_hands DESC, steps, path
LIMIT $limit
