// Answers: stands in, in a staged push, for each job function journeygraph does
//   not hold yet: a node labelled JourneyGraphStaged only (no read sees it), that
//   the staged roles and opportunity owners point to until the switch
//   (sync/promote-staged) makes it the function.
// Parameters: $journey (journey id), $revision (the staged version: its revision), $rows (id).
// Returns: staged (how many stand-ins were made).
UNWIND $rows AS row
OPTIONAL MATCH (live:JobFunction:JourneyGraph {key: ['JobFunction', row.id]})
WITH row, live
WHERE live IS NULL
CREATE (:JourneyGraphStaged {key: ['JobFunction', row.id], id: row.id, staged: $revision, staged_for: $journey})
RETURN count(*) AS staged
