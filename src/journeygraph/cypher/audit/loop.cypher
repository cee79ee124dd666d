// Answers: the loops of the journey, as strongly connected components of the
//   transitions: the touchpoints u that t reaches and that reach t back
//   (mutual reachability, never a listing of cycles) (rule loop).
//   Both directions are sets of DISTINCT end nodes, which Neo4j answers with
//   a pruning breadth-first expand.
// Parameters: $journey (journey id).
// Returns: entities (the component's touchpoint ids), stage_positions (the
//   journey position of each one's stage, in the same order), transitions (the
//   component's inner transitions as [from, to] pairs), last_stage (the position
//   of the journey's last stage). journeygraph derives the loop's kind and one
//   representative cycle from these.
MATCH (t:Touchpoint {journey: $journey})-[:NEXT*]->(u:Touchpoint)
WITH DISTINCT t, u
WITH t, collect(u.id) AS forward
MATCH (t)<-[:NEXT*]-(v:Touchpoint)
WITH DISTINCT t, forward, v
WHERE v.id IN forward
WITH t, collect(v.id) AS component
// One row per component: the one for its smallest id.
WHERE all(member IN component WHERE member >= t.id)
MATCH (m:Touchpoint {journey: $journey})-[:IN_STAGE]->(s:Stage)
WHERE m.id IN component
WITH component, collect(m.id) AS entities, collect(s.position) AS stage_positions
MATCH (a:Touchpoint {journey: $journey})-[:NEXT]->(b:Touchpoint)
WHERE a.id IN component AND b.id IN component
WITH entities, stage_positions, collect(DISTINCT [a.id, b.id]) AS transitions
RETURN
  entities,
  stage_positions,
  transitions,
  COUNT { MATCH (s:Stage {journey: $journey}) } - 1 AS last_stage
