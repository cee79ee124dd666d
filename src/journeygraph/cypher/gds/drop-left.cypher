// Answers: drops the in-memory projections whose names start with $prefix:
//   those that a gds/ query of this journeygraph run made and, failing before
//   its end, left in the server's memory. Nobody else's projections are named
//   so, and none is touched.
// Parameters: $prefix (the run's prefix).
// Returns: dropped (their names).
CALL gds.graph.list() YIELD graphName
WHERE graphName STARTS WITH $prefix
CALL gds.graph.drop(graphName, false) YIELD graphName AS dropped
RETURN collect(dropped) AS dropped
