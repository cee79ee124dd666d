// Answers: labels JourneyGraph the org-wide departments an earlier release wrote:
//   each :Department it marked `managed_by: 'journeygraph'` that a journeygraph
//   journey lists (HAS_DEPARTMENT). Those it marked but no journey lists are left as
//   they are.
// Parameters: $properties (those journeygraph writes on the label: a node with
//   any other is not journeygraph's).
// Returns: labelled (how many).
MATCH (d:Department {managed_by: 'journeygraph'})
WHERE NOT d:JourneyGraph AND d.id IS NOT NULL
  AND all(k IN keys(d) WHERE k IN $properties)
  AND EXISTS { MATCH (:Journey:JourneyGraph)-[:HAS_DEPARTMENT]->(d) }
SET d:JourneyGraph, d.key = ['Department', d.id]
RETURN count(d) AS labelled
