// Answers: labels JourneyGraph the org-wide functions an earlier release wrote:
//   each :JobFunction it marked `managed_by: 'journeygraph'` that a journeygraph
//   journey lists (HAS_FUNCTION). Those it marked but no journey lists are left as
//   they are.
// Parameters: $properties (those journeygraph writes on the label: a node with
//   any other is not journeygraph's).
// Returns: labelled (how many).
MATCH (f:JobFunction {managed_by: 'journeygraph'})
WHERE NOT f:JourneyGraph AND f.id IS NOT NULL
  AND all(k IN keys(f) WHERE k IN $properties)
  AND EXISTS { MATCH (:Journey:JourneyGraph)-[:HAS_FUNCTION]->(f) }
SET f:JourneyGraph, f.key = ['JobFunction', f.id]
RETURN count(f) AS labelled
