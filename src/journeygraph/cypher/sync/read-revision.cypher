// Answers: which version of the journey every read and write meets: the
//   revision its Journey node names. Its stages, touchpoints, personas and
//   opportunities carry it (and it ends their key); a staged push writes the
//   next one beside them, then moves this pointer in a small switch.
//   journeygraph runs it once per transaction and journey, and passes the
//   answer to each query as $revision (`journeygraph.store.revision`); again
//   once it holds the journey's push lock.
// Parameters: $journey (journey id).
// Returns: revision (null: the journey was pushed by a release before
//   revisions; `journeygraph neo4j migrate` gives it one). No row: no such
//   journey.
MATCH (j:Journey:JourneyGraph {key: ['Journey', $journey]})
RETURN j.revision AS revision
