// Answers: functions whose monthly minutes of Responsible work (volume ×
//   handle_minutes of each touchpoint, split evenly among its Responsible
//   functions) exceed the share (numerator / denominator) of fte × 7,200
//   minutes (rule capacity-overload). Only touchpoints with both volume and
//   handle_minutes, and functions with fte, count.
// Parameters: $journey (journey id), $revision (its current version, `sync/read-revision`), $capacity_share_numerator and
//   $capacity_share_denominator (integers: the share as an exact fraction).
// Returns: entities (the function id, in a list), fte, work ([volume,
//   handle_minutes, Responsible functions] per touchpoint). The sum here is in
//   floating point, so the filter keeps a margin of one part in a billion;
//   journeygraph compares the work exactly.
MATCH (f:JobFunction:JourneyGraph)-[:OWNS {role: 'R'}]->(t:Touchpoint:JourneyGraph {journey: $journey, revision: $revision})
WHERE f.fte IS NOT NULL AND t.volume IS NOT NULL AND t.handle_minutes IS NOT NULL
WITH f, t, COUNT { MATCH (:JobFunction:JourneyGraph)-[:OWNS {role: 'R'}]->(t) } AS sharing
WITH f,
  collect([t.volume, t.handle_minutes, sharing * 1.0]) AS work,
  sum(t.volume * t.handle_minutes / sharing) AS minutes
WHERE minutes * $capacity_share_denominator * (1 + 1e-9)
  > $capacity_share_numerator * f.fte * 7200
RETURN [f.id] AS entities, f.fte AS fte, work
