// Answers: writes the journey's touchpoints, in their staged stages, into a
//   staged version (labelled JourneyGraphStaged only until sync/promote-staged).
// Parameters: $journey (journey id), $revision (the staged version: its revision), $rows (id, name,
//   description, stage, channel, layer, entry, exit, metrics, volume,
//   handle_minutes, evidence, log_names, emotion, pain_points, quotes,
//   experience_position, position).
// Returns: nothing.
UNWIND $rows AS row
MATCH (s:Stage:JourneyGraph {key: ['Stage', $journey, row.stage, $revision]})
CREATE (t:Touchpoint:JourneyGraph {
  key: ['Touchpoint', $journey, row.id, $revision], journey: $journey, id: row.id,
  revision: $revision,
  name: row.name, description: row.description, channel: row.channel, layer: row.layer,
  entry: row.entry, exit: row.exit, metrics: row.metrics, volume: row.volume,
  handle_minutes: row.handle_minutes, evidence: row.evidence, log_names: row.log_names,
  emotion: row.emotion, pain_points: row.pain_points, quotes: row.quotes,
  experience_position: row.experience_position, position: row.position
})
CREATE (t)-[:IN_STAGE]->(s)
