// Answers: functions that are the only Accountable on at least
//   $concentration_min touchpoints and on more than the share (numerator /
//   denominator) of all the journey's touchpoints (rule
//   accountability-concentration).
// Parameters: $journey (journey id), $revision (its current version, `sync/read-revision`), $concentration_min (integer),
//   $concentration_share_numerator and $concentration_share_denominator
//   (integers: the share as an exact fraction, so that no rounding decides).
// Returns: entities (the function id, in a list), sole_accountable_for (its
//   number of touchpoints), touchpoints (the journey's number of touchpoints).
MATCH (each:Touchpoint:JourneyGraph {journey: $journey, revision: $revision})
WITH count(each) AS touchpoints
MATCH (f:JobFunction:JourneyGraph)-[:OWNS {role: 'A'}]->(t:Touchpoint:JourneyGraph {journey: $journey, revision: $revision})
WHERE COUNT { MATCH (:JobFunction:JourneyGraph)-[:OWNS {role: 'A'}]->(t) } = 1
WITH f, touchpoints, count(DISTINCT t) AS sole_accountable_for
WHERE sole_accountable_for >= $concentration_min
  AND sole_accountable_for * $concentration_share_denominator
    > $concentration_share_numerator * touchpoints
RETURN [f.id] AS entities, sole_accountable_for, touchpoints
