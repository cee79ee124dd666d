// Answers: the journey's touchpoints, packed by columns in one row (each value
//   in a list of one: `journeygraph.store.runner.unpacked`), each with its
//   place in the map.
// Parameters: $journey (journey id), $revision (its current version, `sync/read-revision`).
// Returns: packed (true), id, name, description, stage, channel, layer, entry,
//   exit, metrics, volume, handle_minutes, evidence, log_names, emotion,
//   pain_points, quotes, experience_position, position.
MATCH (t:Touchpoint:JourneyGraph {journey: $journey, revision: $revision})
OPTIONAL MATCH (t)-[:IN_STAGE]->(s:Stage:JourneyGraph)
RETURN
  true AS packed,
  collect([t.id]) AS id,
  collect([t.name]) AS name,
  collect([t.description]) AS description,
  collect([s.id]) AS stage,
  collect([t.channel]) AS channel,
  collect([t.layer]) AS layer,
  collect([t.entry]) AS entry,
  collect([t.exit]) AS exit,
  collect([t.metrics]) AS metrics,
  collect([t.volume]) AS volume,
  collect([t.handle_minutes]) AS handle_minutes,
  collect([t.evidence]) AS evidence,
  collect([t.log_names]) AS log_names,
  collect([t.emotion]) AS emotion,
  collect([t.pain_points]) AS pain_points,
  collect([t.quotes]) AS quotes,
  collect([t.experience_position]) AS experience_position,
  collect([t.position]) AS position
