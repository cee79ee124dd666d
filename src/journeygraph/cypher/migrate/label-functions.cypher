// Answers: labels JourneyGraph the org-wide functions an earlier release wrote:
//   each :JobFunction it marked `managed_by: 'journeygraph'` that a journeygraph
//   journey lists (HAS_FUNCTION). Those it marked but no journey lists are left as
//   they are.
// Parameters: none.
// Returns: labelled (how many).
MATCH (f:JobFunction {managed_by: 'journeygraph'})
WHERE NOT f:JourneyGraph AND f.id IS NOT NULL
  AND EXISTS { MATCH (:Journey:JourneyGraph)-[:HAS_FUNCTION]->(f) }
SET f:JourneyGraph, f.key = ['JobFunction', f.id]
RETURN count(f) AS labelled
