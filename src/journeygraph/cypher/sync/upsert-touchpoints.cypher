// Answers: creates or updates the journey's touchpoints and their stage.
// Parameters: $journey (journey id), $revision (its current version, `sync/read-revision`), $rows (id, name, description, stage,
//   channel, layer, entry, exit, metrics, volume, handle_minutes, evidence, log_names,
//   emotion, pain_points, quotes, experience_position, position): emotion, pain points
//   and quotes of every customer, and their place among the personas' (whose
//   are on their FEELS relationships).
// Returns: nothing.
UNWIND $rows AS row
MERGE (t:Touchpoint:JourneyGraph {key: ['Touchpoint', $journey, row.id, $revision]})
ON CREATE SET t.journey = $journey, t.id = row.id, t.revision = $revision
SET t.name = row.name, t.description = row.description, t.channel = row.channel,
  t.layer = row.layer, t.entry = row.entry, t.exit = row.exit, t.metrics = row.metrics,
  t.volume = row.volume, t.handle_minutes = row.handle_minutes,
  t.evidence = row.evidence, t.log_names = row.log_names, t.emotion = row.emotion,
  t.pain_points = row.pain_points, t.quotes = row.quotes, t.experience_position = row.experience_position,
  t.position = row.position
WITH t, row
OPTIONAL MATCH (t)-[old:IN_STAGE]->(other:Stage:JourneyGraph)
WHERE other.id <> row.stage
DELETE old
WITH DISTINCT t, row
MATCH (s:Stage:JourneyGraph {key: ['Stage', $journey, row.stage, $revision]})
MERGE (t)-[:IN_STAGE]->(s)
