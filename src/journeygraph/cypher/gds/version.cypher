// Answers: the version of the Graph Data Science library, once gds/installed
//   says it is there. It also calls gds.util.asNodes, as the other gds/ queries
//   do: a server that keeps GDS in its sandbox lists its procedures but refuses
//   that call, so this query fails there.
// Parameters: none.
// Returns: version, none (an empty list).
RETURN gds.version() AS version, gds.util.asNodes([]) AS none
