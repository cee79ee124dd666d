// Answers: creates or updates the journey's declared handoffs.
// Parameters: $journey (journey id), $rows (source, target, name, description, sla,
//   artefact, system, at_from, at_to, position): at_from[i] -> at_to[i] are the
//   transitions a handoff scoped with `at` covers.
// Returns: nothing.
UNWIND $rows AS row
MATCH (giver:JobFunction {id: row.source})
MATCH (taker:JobFunction {id: row.target})
MERGE (giver)-[h:HANDS_OFF_TO {journey: $journey}]->(taker)
SET h.name = row.name, h.description = row.description, h.sla = row.sla,
  h.artefact = row.artefact, h.system = row.system, h.at_from = row.at_from,
  h.at_to = row.at_to, h.position = row.position
