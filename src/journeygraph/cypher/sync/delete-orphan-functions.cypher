// Answers: removes the org-wide job functions journeygraph wrote that no journey
//   lists any more; a function another application wrote is never touched.
// Parameters: none.
// Returns: nothing.
MATCH (f:JobFunction {managed_by: 'journeygraph'})
WHERE NOT EXISTS { MATCH (:Journey)-[:HAS_FUNCTION]->(f) }
DETACH DELETE f
