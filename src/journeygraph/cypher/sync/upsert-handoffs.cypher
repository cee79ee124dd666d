// Answers: creates or updates the journey's declared handoffs.
// Parameters: $journey (journey id), $revision (its current version, `sync/read-revision`), $rows (source, target, name, description, sla,
//   artefact, system, scoped, position): a scoped handoff covers only the
//   transitions marked HANDOFF_AT with its giver and taker (upsert-scopes).
// Returns: nothing.
UNWIND $rows AS row
MATCH (giver:JobFunction:JourneyGraph {key: ['JobFunction', row.source]})
MATCH (taker:JobFunction:JourneyGraph {key: ['JobFunction', row.target]})
MERGE (giver)-[h:HANDS_OFF_TO {journey: $journey, revision: $revision}]->(taker)
SET h.name = row.name, h.description = row.description, h.sla = row.sla,
  h.artefact = row.artefact, h.system = row.system, h.scoped = row.scoped,
  h.position = row.position
