// Answers: stages with touchpoints but no metric, neither on the stage nor on
//   any of its touchpoints (rule missing-metric).
// Parameters: $journey (journey id), $revision (its current version, `sync/read-revision`).
// Returns: entities (the stage id, in a list), touchpoints (how many the stage has).
MATCH (s:Stage:JourneyGraph {journey: $journey, revision: $revision})<-[:IN_STAGE]-(t:Touchpoint:JourneyGraph)
WHERE coalesce(size(s.metrics), 0) = 0
WITH s, count(t) AS touchpoints, sum(coalesce(size(t.metrics), 0)) AS touchpoint_metrics
WHERE touchpoint_metrics = 0
RETURN [s.id] AS entities, touchpoints
