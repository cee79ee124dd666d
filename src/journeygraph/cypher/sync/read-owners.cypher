// Answers: who holds which RACI role on each of the journey's touchpoints,
//   packed by columns in one row (each value in a list of one:
//   `journeygraph.store.runner.unpacked`). Read from the journey's touchpoints
//   (an index seek), not from every function of the database.
// Parameters: $journey (journey id), $revision (its current version, `sync/read-revision`).
// Returns: packed (true), function, touchpoint, role (R, A, C or I), position
//   (within the role's list).
MATCH (t:Touchpoint:JourneyGraph {journey: $journey, revision: $revision})<-[o:OWNS]-(f:JobFunction:JourneyGraph)
RETURN
  true AS packed,
  collect([f.id]) AS function,
  collect([t.id]) AS touchpoint,
  collect([o.role]) AS role,
  collect([o.position]) AS position
