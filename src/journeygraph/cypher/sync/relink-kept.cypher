// Answers: moves the relationships of the staged nodes whose key a kept node
//   holds (sync/retire-journey) onto that node, in the switch of a staged push,
//   after sync/retire-journey: each is created again, of the same type, direction
//   and properties, between the kept nodes (or the staged or live nodes at its
//   other end), and the staged one goes. Every staged relationship is one of
//   journeygraph's own types.
// Parameters: $token (the staged version), $keys (the keys of the nodes kept).
// Returns: moved (how many relationships).
UNWIND $keys AS key
MATCH (s:JourneyGraphStaged {key: key})-[r]-()
WHERE s.staged = $token
WITH collect(DISTINCT r) AS moving
UNWIND moving AS r
WITH r, startNode(r) AS a, endNode(r) AS b, type(r) AS kind, properties(r) AS props
// Each end looked up by its key only when it is a staged node that a kept one
// replaces (a null key finds nothing): an index seek, not a scan.
OPTIONAL MATCH (kept_a:JourneyGraph {key: CASE WHEN a:JourneyGraphStaged AND a.key IN $keys THEN a.key END})
OPTIONAL MATCH (kept_b:JourneyGraph {key: CASE WHEN b:JourneyGraphStaged AND b.key IN $keys THEN b.key END})
WITH r, coalesce(kept_a, a) AS source, coalesce(kept_b, b) AS target, kind, props
FOREACH (_ IN CASE kind WHEN 'IN_STAGE' THEN [1] ELSE [] END | CREATE (source)-[x:IN_STAGE]->(target) SET x = props)
FOREACH (_ IN CASE kind WHEN 'NEXT' THEN [1] ELSE [] END | CREATE (source)-[x:NEXT]->(target) SET x = props)
FOREACH (_ IN CASE kind WHEN 'HANDOFF_AT' THEN [1] ELSE [] END | CREATE (source)-[x:HANDOFF_AT]->(target) SET x = props)
FOREACH (_ IN CASE kind WHEN 'OWNS' THEN [1] ELSE [] END | CREATE (source)-[x:OWNS]->(target) SET x = props)
FOREACH (_ IN CASE kind WHEN 'OWNED_BY' THEN [1] ELSE [] END | CREATE (source)-[x:OWNED_BY]->(target) SET x = props)
FOREACH (_ IN CASE kind WHEN 'FEELS' THEN [1] ELSE [] END | CREATE (source)-[x:FEELS]->(target) SET x = props)
FOREACH (_ IN CASE kind WHEN 'IMPROVES' THEN [1] ELSE [] END | CREATE (source)-[x:IMPROVES]->(target) SET x = props)
DELETE r
RETURN count(*) AS moved
