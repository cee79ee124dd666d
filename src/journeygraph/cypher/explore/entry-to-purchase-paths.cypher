// Answers: the shortest ways customers can go from an entry touchpoint to a
//   chosen touchpoint (a purchase, say), each with its number of changes of
//   hands (steps between touchpoints whose Responsible functions share none),
//   those with the most changes of hands first. Entries are the touchpoints
//   marked `entry: true` or, when none is, those of the first stage. The search
//   is bounded: one shortest path (of up to 1,000 steps) from each entry,
//   found breadth first, one search per entry; never a listing of the paths
//   of a looping journey (the k-shortest SHORTEST 20 took 200 s at 1,000
//   touchpoints, and did not finish on a chain of many equal paths). A target
//   that is an entry itself is listed from the other entries only.
// Parameters: $journey (journey id), $target (touchpoint id), $limit (the
//   most paths to return).
// Browser: :params {journey: 'b2b-saas', target: 'signature', limit: 5}
// Returns: path (touchpoint ids), steps, changes_of_hands.
OPTIONAL MATCH (marked:Touchpoint:JourneyGraph {journey: $journey})
WHERE marked.entry
WITH count(marked) > 0 AS any_marked
MATCH (e:Touchpoint:JourneyGraph {journey: $journey})-[:IN_STAGE]->(s:Stage:JourneyGraph)
WHERE e.entry OR (NOT any_marked AND s.position = 0)
MATCH (t:Touchpoint:JourneyGraph {key: ['Touchpoint', $journey, $target]})
// A target that is itself an entry is reached in no step: only the paths from
// the other entries are listed (a shortest path needs two ends).
WITH e, t
WHERE e <> t
MATCH p = shortestPath((e)-[:NEXT*..1000]->(t))
UNWIND relationships(p) AS step
WITH p, startNode(step) AS a, endNode(step) AS b
WITH
  p,
  COLLECT { MATCH (f:JobFunction:JourneyGraph)-[:OWNS {role: 'R'}]->(a) RETURN f.id } AS givers,
  COLLECT { MATCH (f:JobFunction:JourneyGraph)-[:OWNS {role: 'R'}]->(b) RETURN f.id } AS takers
WITH p, sum(
  CASE WHEN size(givers) > 0 AND size(takers) > 0 AND none(id IN takers WHERE id IN givers)
  THEN 1 ELSE 0 END
) AS changes_of_hands
RETURN [n IN nodes(p) | n.id] AS path, length(p) AS steps, changes_of_hands
ORDER BY changes_of_hands DESC, steps, path
LIMIT $limit
