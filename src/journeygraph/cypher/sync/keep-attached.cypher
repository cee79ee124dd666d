// Answers: gives each kept node (sync/retire-journey) the properties of the staged
//   node of its key, which goes, in the switch of a staged push after
//   sync/relink-kept: the node keeps its identity and another application's
//   relationships, and reads as the staged one would. A property journeygraph
//   writes that the staged node does not hold (a value now empty) goes;
//   properties journeygraph does not write stay.
// Parameters: $token (the staged version), $keys (the keys of the nodes kept).
// Returns: kept.
UNWIND $keys AS key
MATCH (s:JourneyGraphStaged {key: key})
WHERE s.staged = $token
MATCH (k:JourneyGraph {key: key})
SET k += properties(s)
SET k += {
  name: s.name, description: s.description, metrics: s.metrics, position: s.position,
  channel: s.channel, layer: s.layer, entry: s.entry, exit: s.exit, volume: s.volume,
  handle_minutes: s.handle_minutes, evidence: s.evidence, log_names: s.log_names,
  emotion: s.emotion, pain_points: s.pain_points, quotes: s.quotes,
  experience_position: s.experience_position, goals: s.goals, status: s.status,
  priority: s.priority
}
REMOVE k.staged, k.staged_for
DETACH DELETE s
RETURN count(*) AS kept
