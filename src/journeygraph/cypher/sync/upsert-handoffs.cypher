// Answers: creates or updates the journey's declared handoffs.
// Parameters: $journey (journey id), $rows (source, target, name, description, position).
// Returns: nothing.
UNWIND $rows AS row
MATCH (giver:JobFunction {id: row.source})
MATCH (taker:JobFunction {id: row.target})
MERGE (giver)-[h:HANDS_OFF_TO {journey: $journey}]->(taker)
SET h.name = row.name, h.description = row.description, h.position = row.position
