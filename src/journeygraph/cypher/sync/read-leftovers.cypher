// Answers: how many nodes of the journey's unfinished or finished staged pushes
//   are left: staged versions that never switched (a push that failed or was
//   stopped), and retired ones not yet removed. No read sees them.
// Parameters: $journey (journey id).
// Returns: staged, retired.
OPTIONAL MATCH (s:JourneyGraphStaged)
WHERE s.staged_for = $journey
WITH count(s) AS staged
OPTIONAL MATCH (r:JourneyGraphRetired)
WHERE r.journey = $journey
RETURN staged, count(r) AS retired
