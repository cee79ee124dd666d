// Answers: removes the org-wide departments that no journey lists any more.
// Parameters: none.
// Returns: nothing.
MATCH (d:Department)
WHERE NOT EXISTS { MATCH (j:Journey) WHERE d.id IN j.departments }
DETACH DELETE d
