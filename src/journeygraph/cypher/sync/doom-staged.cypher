// Answers: dooms the marks of the staged versions $revisions of the journey
//   (sync/stage-revision), so that a staged push of them does not switch to a
//   version whose removal has begun; in the transaction of each batch of that
//   removal, which holds the journey's push lock, as the switch does.
// Parameters: $journey (journey id), $revisions (the versions to remove).
// Returns: doomed.
UNWIND $revisions AS revision
MATCH (mark:JourneyGraphStaged {key: ['Revision', $journey, revision]})
WHERE mark.doomed IS NULL
SET mark.doomed = true
RETURN count(*) AS doomed
