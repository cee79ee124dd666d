// Answers: writes the journey's opportunities, with their owner (a function or
//   its stand-in), into a staged version.
// Parameters: $journey (journey id), $revision (the staged version: its revision), $rows (id, name,
//   description, owner, status, priority, position).
// Returns: nothing.
UNWIND $rows AS row
CREATE (o:Opportunity:JourneyGraph {
  key: ['Opportunity', $journey, row.id, $revision], journey: $journey, id: row.id,
  revision: $revision,
  name: row.name, description: row.description, status: row.status,
  priority: row.priority, position: row.position
})
WITH o, row
WHERE row.owner IS NOT NULL
OPTIONAL MATCH (stand_in:JourneyGraphStaged {key: ['JobFunction', row.owner]})
WHERE stand_in.staged = $revision
OPTIONAL MATCH (live:JobFunction:JourneyGraph {key: ['JobFunction', row.owner]})
WITH o, coalesce(stand_in, live) AS f
// None when another push deleted the function meanwhile: the switch refuses then.
WHERE f IS NOT NULL
CREATE (o)-[:OWNED_BY]->(f)
