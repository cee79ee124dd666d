// Answers: creates or updates the journey's touchpoints and their stage.
// Parameters: $journey (journey id), $rows (id, name, description, stage,
//   channel, layer, entry, exit, metrics, position).
// Returns: nothing.
UNWIND $rows AS row
MERGE (t:Touchpoint {journey: $journey, id: row.id})
SET t.name = row.name, t.description = row.description, t.channel = row.channel,
  t.layer = row.layer, t.entry = row.entry, t.exit = row.exit, t.metrics = row.metrics,
  t.position = row.position
WITH t, row
OPTIONAL MATCH (t)-[old:IN_STAGE]->(other:Stage)
WHERE other.id <> row.stage
DELETE old
WITH DISTINCT t, row
MATCH (s:Stage {journey: $journey, id: row.stage})
MERGE (t)-[:IN_STAGE]->(s)
