// Answers: functions Responsible for at least $overload_min touchpoints and for
//   more than the share (numerator / denominator) of all the journey's touchpoints
//   (rule overloaded-function).
// Parameters: $journey (journey id), $revision (its current version, `sync/read-revision`), $overload_min (integer),
//   $overload_share_numerator and $overload_share_denominator (integers: the
//   share as an exact fraction, 0.58 as 29/50, so that no rounding decides).
// Returns: entities (the function id, in a list), responsible_for (its number
//   of touchpoints), touchpoints (the journey's number of touchpoints).
MATCH (each:Touchpoint:JourneyGraph {journey: $journey, revision: $revision})
WITH count(each) AS touchpoints
MATCH (f:JobFunction:JourneyGraph)-[:OWNS {role: 'R'}]->(t:Touchpoint:JourneyGraph {journey: $journey, revision: $revision})
WITH f, touchpoints, count(DISTINCT t) AS responsible_for
WHERE responsible_for >= $overload_min
  AND responsible_for * $overload_share_denominator > $overload_share_numerator * touchpoints
RETURN [f.id] AS entities, responsible_for, touchpoints
