// Answers: writes who holds which RACI role on the journey's staged touchpoints:
//   from the function, or from its stand-in when journeygraph did not hold it
//   (sync/stage-functions). A role from a function is not read before the switch:
//   every read meets the touchpoint by its Touchpoint and JourneyGraph labels.
// Parameters: $journey (journey id), $revision (the staged version: its revision), $rows (function,
//   touchpoint, role, position).
// Returns: nothing.
UNWIND $rows AS row
MATCH (t:Touchpoint:JourneyGraph {key: ['Touchpoint', $journey, row.touchpoint, $revision]})
OPTIONAL MATCH (stand_in:JourneyGraphStaged {key: ['JobFunction', row.function]})
WHERE stand_in.staged = $revision
OPTIONAL MATCH (live:JobFunction:JourneyGraph {key: ['JobFunction', row.function]})
WITH t, row, coalesce(stand_in, live) AS f
// None when another push deleted the function meanwhile: the switch refuses then.
WHERE f IS NOT NULL
CREATE (f)-[:OWNS {role: row.role, position: row.position}]->(t)
