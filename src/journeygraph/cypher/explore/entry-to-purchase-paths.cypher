// Answers: the shortest ways customers can go from an entry touchpoint to a
//   chosen touchpoint (a purchase, say), each with its number of changes of
//   hands (steps between touchpoints whose Responsible functions share none),
//   those with the most changes of hands first. Entries are the touchpoints
//   marked `entry: true` or, when none is, those of the first stage. The search
//   is bounded: the 20 shortest paths from each entry (Neo4j's SHORTEST k,
//   5.21 and later), never every path of a looping journey.
// Parameters: $journey (journey id), $target (touchpoint id), $limit (the
//   most paths to return).
// Browser: :params {journey: 'b2b-saas', target: 'signature', limit: 5}
// Returns: path (touchpoint ids), steps, changes_of_hands.
OPTIONAL MATCH (marked:Touchpoint {journey: $journey})
WHERE marked.entry
WITH count(marked) > 0 AS any_marked
MATCH (e:Touchpoint {journey: $journey})-[:IN_STAGE]->(s:Stage)
WHERE e.entry OR (NOT any_marked AND s.position = 0)
MATCH (t:Touchpoint {journey: $journey, id: $target})
MATCH p = SHORTEST 20 (e)-[:NEXT]->+(t)
UNWIND relationships(p) AS step
WITH p, startNode(step) AS a, endNode(step) AS b
WITH
  p,
  COLLECT { MATCH (f:JobFunction)-[:OWNS {role: 'R'}]->(a) RETURN f.id } AS givers,
  COLLECT { MATCH (f:JobFunction)-[:OWNS {role: 'R'}]->(b) RETURN f.id } AS takers
WITH p, sum(
  CASE WHEN size(givers) > 0 AND size(takers) > 0 AND none(id IN takers WHERE id IN givers)
  THEN 1 ELSE 0 END
) AS changes_of_hands
RETURN [n IN nodes(p) | n.id] AS path, length(p) AS steps, changes_of_hands
ORDER BY changes_of_hands DESC, steps, path
LIMIT $limit
