// Answers: the job functions the journey lists, with their department (in any
//   order; the journey's `functions` list holds the map order).
// Parameters: $journey (journey id).
// Returns: id, name, description, department.
MATCH (j:Journey {id: $journey})
UNWIND j.functions AS listed
MATCH (f:JobFunction {id: listed})
OPTIONAL MATCH (f)-[:PART_OF]->(d:Department)
RETURN f.id AS id, f.name AS name, f.description AS description, d.id AS department
