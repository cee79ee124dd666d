// Answers: removes the org-wide departments journeygraph wrote that no journey
//   lists any more; a department another application wrote is never touched.
// Parameters: none.
// Returns: nothing.
MATCH (d:Department {managed_by: 'journeygraph'})
WHERE NOT EXISTS { MATCH (:Journey)-[:HAS_DEPARTMENT]->(d) }
DETACH DELETE d
