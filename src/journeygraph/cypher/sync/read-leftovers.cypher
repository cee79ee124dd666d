// Answers: which versions of the journey no read meets and a push removes
//   (sync/delete-leftovers): those its switches replaced (`leftovers` on its
//   Journey node) and those staged pushes began (their marks: the caller's own
//   among them, which it leaves out);
//   and the nodes earlier builds' staged pushes left (labelled
//   JourneyGraphRetired or JourneyGraphStaged only, without a mark). Index
//   lookups: it reads nothing of the journey's current version.
// Parameters: $journey (journey id).
// Returns: revisions, earlier (how many nodes of earlier builds).
OPTIONAL MATCH (j:Journey:JourneyGraph {key: ['Journey', $journey]})
WITH coalesce(j.leftovers, []) AS replaced
OPTIONAL MATCH (mark:JourneyGraphStaged)
WHERE mark.staged_for = $journey AND mark.key[0] = 'Revision'
WITH replaced, collect(mark.staged) AS marked
OPTIONAL MATCH (staged:JourneyGraphStaged)
WHERE staged.staged_for = $journey AND NOT (staged.staged IN (replaced + marked))
WITH replaced, marked, count(staged) AS staged
OPTIONAL MATCH (retired:JourneyGraphRetired)
WHERE retired.journey = $journey
WITH replaced, marked, staged, count(retired) AS retired
RETURN replaced + marked AS revisions, staged + retired AS earlier
