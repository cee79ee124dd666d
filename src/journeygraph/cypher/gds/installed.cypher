// Answers: whether the Graph Data Science library is installed, with the
//   procedures journeygraph's gds/ queries call.
// Parameters: none.
// Returns: installed (true or false).
SHOW PROCEDURES YIELD name
WHERE name IN ['gds.scc.stream', 'gds.graph.drop']
RETURN count(name) = 2 AS installed
