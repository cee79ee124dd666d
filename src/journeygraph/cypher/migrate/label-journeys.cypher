// Answers: labels JourneyGraph the journeys an earlier release of journeygraph
//   wrote: a :Journey with a format `version` and no property journeygraph does
//   not write. Each gets its `key`.
// Parameters: none.
// Returns: labelled (how many).
MATCH (j:Journey)
WHERE NOT j:JourneyGraph AND j.id IS NOT NULL AND j.version IS NOT NULL
  AND all(k IN keys(j) WHERE k IN ['id', 'name', 'description', 'version', 'audit', 'pushed_at'])
SET j:JourneyGraph, j.key = ['Journey', j.id]
RETURN count(j) AS labelled
