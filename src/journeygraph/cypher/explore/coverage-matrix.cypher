// Answers: the coverage matrix of a journey: for each stage and each function
//   with a role in it, how many of the stage's touchpoints the function is
//   Responsible, Accountable, Consulted and Informed for.
// Parameters: $journey (journey id), $revision (its current version, `sync/read-revision`).
// Browser: :params {journey: 'b2b-saas', revision: COLLECT { MATCH (j:Journey:JourneyGraph {key: ['Journey', 'b2b-saas']}) RETURN j.revision }[0]}
// Returns: stage, function, responsible, accountable, consulted, informed,
//   position (the stage's place in the journey).
MATCH (s:Stage:JourneyGraph {journey: $journey, revision: $revision})<-[:IN_STAGE]-(t:Touchpoint:JourneyGraph)<-[o:OWNS]-(f:JobFunction:JourneyGraph)
RETURN
  s.id AS stage,
  f.id AS function,
  count(CASE WHEN o.role = 'R' THEN 1 END) AS responsible,
  count(CASE WHEN o.role = 'A' THEN 1 END) AS accountable,
  count(CASE WHEN o.role = 'C' THEN 1 END) AS consulted,
  count(CASE WHEN o.role = 'I' THEN 1 END) AS informed,
  s.position AS position
ORDER BY position, function
