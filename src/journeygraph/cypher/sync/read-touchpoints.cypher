// Answers: the journey's touchpoints, in map order.
// Parameters: $journey (journey id).
// Returns: id, name, description, stage, channel, layer, entry, exit, metrics,
//   volume, handle_minutes, evidence, log_names, emotion, pain_points, quotes, experience_position,
//   position.
MATCH (t:Touchpoint:JourneyGraph {journey: $journey})
OPTIONAL MATCH (t)-[:IN_STAGE]->(s:Stage:JourneyGraph)
RETURN t.id AS id, t.name AS name, t.description AS description, s.id AS stage,
  t.channel AS channel, t.layer AS layer, t.entry AS entry, t.exit AS exit,
  t.metrics AS metrics, t.volume AS volume, t.handle_minutes AS handle_minutes,
  t.evidence AS evidence, t.log_names AS log_names,
  t.emotion AS emotion, t.pain_points AS pain_points, t.quotes AS quotes,
  t.experience_position AS experience_position, t.position AS position
ORDER BY position
