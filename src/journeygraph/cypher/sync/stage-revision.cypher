// Answers: marks the start of a staged push of the journey: a node labelled
//   JourneyGraphStaged only (no read sees it) naming the version it stages. The
//   switch goes ahead only while it is there and not doomed: a push of the
//   journey that removes the versions it does not read (sync/delete-leftovers)
//   dooms it first, and removes it with that version's last node.
// Parameters: $journey (journey id), $revision (the staged version).
// Returns: nothing.
CREATE (:JourneyGraphStaged {key: ['Revision', $journey, $revision], staged: $revision, staged_for: $journey})
