// Answers: gives each journey pushed before versions of a journey its first
//   revision: its Journey node names it, and its stages, touchpoints, personas,
//   opportunities (whose key it ends) and handoffs carry it. In one transaction
//   (`neo4j migrate`); run again, it changes nothing.
// Parameters: none.
// Returns: revised (journeys), nodes (nodes given it).
OPTIONAL MATCH (j:Journey:JourneyGraph)
WHERE j.revision IS NULL
SET j.revision = replace(randomUUID(), '-', '')
WITH j
CALL (j) {
  OPTIONAL MATCH (n:JourneyGraph {journey: j.id})
  WHERE (n:Stage OR n:Touchpoint OR n:Persona OR n:Opportunity) AND n.revision IS NULL
  SET n.revision = j.revision, n.key = n.key + [j.revision]
  RETURN count(n) AS nodes
}
CALL (j) {
  OPTIONAL MATCH (:JobFunction:JourneyGraph)-[h:HANDS_OFF_TO]->(:JobFunction:JourneyGraph)
  WHERE h.journey = j.id AND h.revision IS NULL
  SET h.revision = j.revision
  RETURN count(h) AS handoffs
}
RETURN count(j) AS revised, sum(nodes) AS nodes
