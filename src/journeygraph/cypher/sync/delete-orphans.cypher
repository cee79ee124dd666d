// Answers: removes the org-wide functions and departments that no journey lists
//   any more.
// Parameters: none.
// Returns: nothing.
CALL () {
  MATCH (f:JobFunction)
  WHERE NOT EXISTS { MATCH (j:Journey) WHERE f.id IN j.functions }
  DETACH DELETE f
}
CALL () {
  MATCH (d:Department)
  WHERE NOT EXISTS { MATCH (j:Journey) WHERE d.id IN j.departments }
  DETACH DELETE d
}
