// Answers: stages of two or more touchpoints whose Responsible owners are all
//   one function (rule single-owner-stage).
// Parameters: $journey (journey id), $revision (its current version, `sync/read-revision`).
// Returns: entities (the stage id, in a list), function (the one function id),
//   touchpoints (how many touchpoints the stage has).
MATCH (s:Stage:JourneyGraph {journey: $journey, revision: $revision})<-[:IN_STAGE]-(t:Touchpoint:JourneyGraph)
WITH s, count(t) AS touchpoints
WHERE touchpoints >= 2
MATCH (s)<-[:IN_STAGE]-(:Touchpoint:JourneyGraph)<-[:OWNS {role: 'R'}]-(f:JobFunction:JourneyGraph)
// min() picks the one function without indexing a list (0-based in Neo4j,
// 1-based in other openCypher engines).
WITH s, touchpoints, count(DISTINCT f) AS responsible, min(f.id) AS function
WHERE responsible = 1
RETURN [s.id] AS entities, function, touchpoints
