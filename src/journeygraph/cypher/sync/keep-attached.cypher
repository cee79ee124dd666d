// Answers: makes a node of a replaced version that another application has
//   relationships to (sync/delete-leftovers) the current version's node of its label
//   and id, in its place, so that those relationships keep their identity
//   (Neo4j cannot move a relationship to another node): its own relationships
//   of journeygraph's types go, the current node's are made again on it (same
//   type, direction and properties: journeygraph's types are a fixed set), it
//   takes the current node's properties (a property journeygraph writes that
//   the current node does not hold goes; one it does not write stays), and the
//   current node goes. In a transaction that holds the journey's push lock.
// Parameters: $key (the key of the replaced version's node), $revision (the
//   journey's current version, `sync/read-revision`), $own (journeygraph's
//   relationship types).
// Returns: kept.
MATCH (n:JourneyGraph {key: $key})
WHERE n.revision <> $revision
MATCH (now:JourneyGraph {key: [$key[0], $key[1], $key[2], $revision]})
OPTIONAL MATCH (n)-[old]-(:JourneyGraph)
WHERE type(old) IN $own
WITH n, now, collect(DISTINCT old) AS olds
FOREACH (old IN olds | DELETE old)
WITH n, now
OPTIONAL MATCH (now)-[r]-(:JourneyGraph)
WHERE type(r) IN $own
WITH n, now, collect(DISTINCT r) AS moving
UNWIND CASE WHEN moving = [] THEN [null] ELSE moving END AS r
WITH n, now, r, type(r) AS kind, properties(r) AS props,
  CASE WHEN startNode(r) = now THEN n ELSE startNode(r) END AS source,
  CASE WHEN endNode(r) = now THEN n ELSE endNode(r) END AS target
FOREACH (_ IN CASE kind WHEN 'HAS_STAGE' THEN [1] ELSE [] END | CREATE (source)-[x:HAS_STAGE]->(target) SET x = props)
FOREACH (_ IN CASE kind WHEN 'HAS_PERSONA' THEN [1] ELSE [] END | CREATE (source)-[x:HAS_PERSONA]->(target) SET x = props)
FOREACH (_ IN CASE kind WHEN 'HAS_OPPORTUNITY' THEN [1] ELSE [] END | CREATE (source)-[x:HAS_OPPORTUNITY]->(target) SET x = props)
FOREACH (_ IN CASE kind WHEN 'IN_STAGE' THEN [1] ELSE [] END | CREATE (source)-[x:IN_STAGE]->(target) SET x = props)
FOREACH (_ IN CASE kind WHEN 'NEXT' THEN [1] ELSE [] END | CREATE (source)-[x:NEXT]->(target) SET x = props)
FOREACH (_ IN CASE kind WHEN 'HANDOFF_AT' THEN [1] ELSE [] END | CREATE (source)-[x:HANDOFF_AT]->(target) SET x = props)
FOREACH (_ IN CASE kind WHEN 'OWNS' THEN [1] ELSE [] END | CREATE (source)-[x:OWNS]->(target) SET x = props)
FOREACH (_ IN CASE kind WHEN 'OWNED_BY' THEN [1] ELSE [] END | CREATE (source)-[x:OWNED_BY]->(target) SET x = props)
FOREACH (_ IN CASE kind WHEN 'FEELS' THEN [1] ELSE [] END | CREATE (source)-[x:FEELS]->(target) SET x = props)
FOREACH (_ IN CASE kind WHEN 'IMPROVES' THEN [1] ELSE [] END | CREATE (source)-[x:IMPROVES]->(target) SET x = props)
FOREACH (_ IN CASE kind WHEN 'ABOUT' THEN [1] ELSE [] END | CREATE (source)-[x:ABOUT]->(target) SET x = props)
WITH DISTINCT n, now
WITH n, now, properties(now) AS s
DETACH DELETE now
SET n += s
REMOVE n.doomed
SET n += {
  name: s.name, description: s.description, metrics: s.metrics, position: s.position,
  channel: s.channel, layer: s.layer, entry: s.entry, exit: s.exit, volume: s.volume,
  handle_minutes: s.handle_minutes, evidence: s.evidence, log_names: s.log_names,
  emotion: s.emotion, pain_points: s.pain_points, quotes: s.quotes,
  experience_position: s.experience_position, goals: s.goals, status: s.status,
  priority: s.priority
}
RETURN count(*) AS kept
