// Answers: who holds which RACI role on each of the journey's touchpoints.
// Parameters: $journey (journey id).
// Returns: function, touchpoint, role (R, A, C or I), position (within the role's list).
MATCH (f:JobFunction:JourneyGraph)-[o:OWNS]->(t:Touchpoint:JourneyGraph {journey: $journey})
RETURN f.id AS function, t.id AS touchpoint, o.role AS role, o.position AS position
ORDER BY t.position, role, position
