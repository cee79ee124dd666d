// Answers: removes the org-wide job functions that no journey lists any more.
// Parameters: none.
// Returns: nothing.
MATCH (f:JobFunction)
WHERE NOT EXISTS { MATCH (j:Journey) WHERE f.id IN j.functions }
DETACH DELETE f
