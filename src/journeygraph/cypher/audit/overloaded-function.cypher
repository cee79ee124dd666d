// Answers: functions Responsible for at least $overload_min touchpoints and for
//   more than the share $overload_share of all the journey's touchpoints
//   (rule overloaded-function).
// Parameters: $journey (journey id), $overload_min (integer),
//   $overload_share (a number in (0, 1]).
// Returns: entities (the function id, in a list), responsible_for (its number
//   of touchpoints), touchpoints (the journey's number of touchpoints).
MATCH (each:Touchpoint {journey: $journey})
WITH count(each) AS touchpoints
MATCH (f:JobFunction)-[:OWNS {role: 'R'}]->(t:Touchpoint {journey: $journey})
WITH f, touchpoints, count(DISTINCT t) AS responsible_for
WHERE responsible_for >= $overload_min
  AND responsible_for * 1.0 / touchpoints > $overload_share
RETURN [f.id] AS entities, responsible_for, touchpoints
