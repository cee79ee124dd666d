// Answers: the journey's job functions that hold no role on any of its
//   touchpoints and take part in none of its handoffs (rule idle-function).
// Parameters: $journey (journey id), $revision (its current version, `sync/read-revision`).
// Returns: entities (the function id, in a list).
MATCH (:Journey:JourneyGraph {key: ['Journey', $journey]})-[:HAS_FUNCTION]->(f:JobFunction:JourneyGraph)
WHERE NOT EXISTS { MATCH (f)-[:OWNS]->(:Touchpoint:JourneyGraph {journey: $journey, revision: $revision}) }
  AND NOT EXISTS {
    MATCH (f)-[h:HANDS_OFF_TO]-(:JobFunction:JourneyGraph)
    WHERE h.journey = $journey AND h.revision = $revision
  }
RETURN [f.id] AS entities
