// Answers: records when the journey was last pushed with a change.
// Parameters: $journey (journey id), $pushed_at (the time, ISO 8601 in UTC,
//   e.g. 2026-12-03T12:55:00Z).
// Returns: nothing.
MATCH (j:Journey:JourneyGraph {key: ['Journey', $journey]})
SET j.pushed_at = $pushed_at
