// Answers: the departments the journey lists (in any order; the journey's
//   `departments` list holds the map order).
// Parameters: $journey (journey id).
// Returns: id, name, description.
MATCH (j:Journey {id: $journey})
UNWIND j.departments AS listed
MATCH (d:Department {id: listed})
RETURN d.id AS id, d.name AS name, d.description AS description
