// Answers: writes the journey's handoffs between its functions (or their
//   stand-ins, sync/stage-functions) into a staged version: they carry its
//   revision, and every read selects the journey's current one, so none sees
//   them before the switch.
// Parameters: $journey (journey id), $revision (the staged version), $rows (source,
//   target, name, description, sla, artefact, system, scoped, position).
// Returns: nothing.
UNWIND $rows AS row
OPTIONAL MATCH (giver_stand_in:JourneyGraphStaged {key: ['JobFunction', row.source]})
WHERE giver_stand_in.staged = $revision
OPTIONAL MATCH (giver_live:JobFunction:JourneyGraph {key: ['JobFunction', row.source]})
OPTIONAL MATCH (taker_stand_in:JourneyGraphStaged {key: ['JobFunction', row.target]})
WHERE taker_stand_in.staged = $revision
OPTIONAL MATCH (taker_live:JobFunction:JourneyGraph {key: ['JobFunction', row.target]})
WITH row, coalesce(giver_stand_in, giver_live) AS giver, coalesce(taker_stand_in, taker_live) AS taker
// None when another push deleted a function meanwhile: the switch refuses then.
WHERE giver IS NOT NULL AND taker IS NOT NULL
CREATE (giver)-[:HANDS_OFF_TO {
  journey: $journey, revision: $revision, name: row.name, description: row.description,
  sla: row.sla, artefact: row.artefact, system: row.system, scoped: row.scoped,
  position: row.position
}]->(taker)
