// Answers: removes up to $limit of the journey's handoffs (between its
//   functions) of the versions $revisions but its current one, in a push's
//   removal of what no read meets (sync/delete-leftovers). Run until it
//   removes none.
// Parameters: $journey (journey id), $revision (its current version,
//   `sync/read-revision`), $revisions (the versions to remove), $token (a staged
//   version to keep: the caller's own, or ''), $limit (relationships per transaction).
// Returns: deleted.
MATCH (:JobFunction:JourneyGraph)-[h:HANDS_OFF_TO]->(:JobFunction:JourneyGraph)
WHERE h.journey = $journey AND h.revision IN $revisions
  AND h.revision <> coalesce($revision, '') AND h.revision <> $token
WITH h
LIMIT $limit
DELETE h
RETURN count(*) AS deleted
