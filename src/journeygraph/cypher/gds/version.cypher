// Answers: the version of the Graph Data Science library (run only once
//   gds/installed says it is there).
// Parameters: none.
// Returns: version.
RETURN gds.version() AS version
