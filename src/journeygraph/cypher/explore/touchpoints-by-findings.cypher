// Answers: the journey's touchpoints with the most stored findings (written by
//   `journeygraph neo4j audit JOURNEY --write`), high ones first; waived
//   findings are left out.
// Parameters: $journey (journey id).
// Browser: :params {journey: 'b2b-saas'}
// Returns: touchpoint, name, high, findings, rules (the distinct rule ids).
MATCH (:Journey:JourneyGraph {key: ['Journey', $journey]})-[:HAS_FINDING]->(x:Finding:JourneyGraph)
WHERE x.waiver IS NULL
MATCH (x)-[:ABOUT]->(t:Touchpoint:JourneyGraph)
WITH t, count(x) AS findings, collect(DISTINCT x.rule) AS rules,
  sum(CASE WHEN x.severity = 'high' THEN 1 ELSE 0 END) AS high
RETURN t.id AS touchpoint, t.name AS name, high, findings, rules
ORDER BY high DESC, findings DESC, touchpoint
