// Answers: ends the removal of versions of the journey no read meets, once
//   sync/delete-leftovers removes none of their nodes: their marks go, and
//   the journey no longer lists them (`leftovers`).
// Parameters: $journey (journey id), $revisions (the versions removed), $token (a
//   staged version to keep: the caller's own, or '').
// Returns: forgotten.
OPTIONAL MATCH (mark:JourneyGraphStaged {key: ['Revision', $journey, $token]})
WITH collect(mark) AS own
OPTIONAL MATCH (mark:JourneyGraphStaged)
WHERE mark.staged_for = $journey AND mark.staged IN $revisions AND NOT mark IN own
DELETE mark
WITH DISTINCT own
OPTIONAL MATCH (j:Journey:JourneyGraph {key: ['Journey', $journey]})
WITH j, [r IN coalesce(j.leftovers, []) WHERE NOT r IN $revisions] AS left
// None left: the property goes (a journey with no replaced version has none).
SET j.leftovers = CASE WHEN size(left) > 0 THEN left END
RETURN count(j) AS forgotten
