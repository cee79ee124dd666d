// Answers: the journeys stored in Neo4j, with their size and when they were
//   last pushed with a change.
// Parameters: none.
// Returns: journey, name, stages, touchpoints, functions, pushed_at (ISO 8601, UTC).
MATCH (j:Journey:JourneyGraph)
RETURN
  j.id AS journey,
  j.name AS name,
  COUNT { MATCH (:Stage:JourneyGraph {journey: j.id, revision: j.revision}) } AS stages,
  COUNT { MATCH (:Touchpoint:JourneyGraph {journey: j.id, revision: j.revision}) } AS touchpoints,
  COUNT { MATCH (j)-[:HAS_FUNCTION]->(:JobFunction:JourneyGraph) } AS functions,
  j.pushed_at AS pushed_at
ORDER BY journey
