// Answers: the job functions the journey lists, with their department and their
//   place in the map's list (`position` on HAS_FUNCTION), packed by columns in
//   one row (each value in a list of one: `journeygraph.store.runner.unpacked`).
// Parameters: $journey (journey id).
// Returns: packed (true), id, name, description, department, fte,
//   log_performers, position.
MATCH (:Journey:JourneyGraph {key: ['Journey', $journey]})-[r:HAS_FUNCTION]->(f:JobFunction:JourneyGraph)
OPTIONAL MATCH (f)-[:PART_OF]->(d:Department:JourneyGraph)
RETURN
  true AS packed,
  collect([f.id]) AS id,
  collect([f.name]) AS name,
  collect([f.description]) AS description,
  collect([d.id]) AS department,
  collect([f.fte]) AS fte,
  collect([f.log_performers]) AS log_performers,
  collect([r.position]) AS position
