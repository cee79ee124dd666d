// Answers: the journey's touchpoints with the most stored findings (written by
//   `journeygraph neo4j audit JOURNEY --write`), high ones first; waived
//   findings are left out.
// Parameters: $journey (journey id).
// Browser: :params {journey: 'b2b-saas'}
// Returns: touchpoint, name, high, findings, rules (the distinct rule ids).
MATCH (x:Finding:JourneyGraph {journey: $journey})-[:ABOUT]->(t:Touchpoint:JourneyGraph)
WHERE x.waiver IS NULL
WITH t, count(x) AS findings, collect(DISTINCT x.rule) AS rules,
  sum(CASE WHEN x.severity = 'high' THEN 1 ELSE 0 END) AS high
RETURN t.id AS touchpoint, t.name AS name, high, findings, rules
ORDER BY high DESC, findings DESC, touchpoint
