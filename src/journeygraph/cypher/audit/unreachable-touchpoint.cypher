// Answers: touchpoints no sequence of transitions reaches from an entry
//   (rule unreachable-touchpoint). Entries are the touchpoints marked
//   `entry: true` or, when none is, every touchpoint of the first stage.
// Parameters: $journey (journey id).
// Returns: entities (the touchpoint id, in a list).
OPTIONAL MATCH (marked:Touchpoint:JourneyGraph {journey: $journey})
WHERE marked.entry
WITH count(marked) > 0 AS any_marked
MATCH (e:Touchpoint:JourneyGraph {journey: $journey})-[:IN_STAGE]->(s:Stage:JourneyGraph)
WHERE e.entry OR (NOT any_marked AND s.position = 0)
OPTIONAL MATCH (e)-[:NEXT*]->(r:Touchpoint:JourneyGraph)
// What any entry reaches, each touchpoint once: memory grows with the journey,
// not with entries times touchpoints (pairs of both ran out of memory at 10,000).
WITH DISTINCT r
WITH collect(r.id) AS reached
OPTIONAL MATCH (marked:Touchpoint:JourneyGraph {journey: $journey})
WHERE marked.entry
WITH reached, count(marked) > 0 AS any_marked
MATCH (t:Touchpoint:JourneyGraph {journey: $journey})-[:IN_STAGE]->(s:Stage:JourneyGraph)
WHERE NOT t.id IN reached AND NOT (t.entry OR (NOT any_marked AND s.position = 0))
RETURN [t.id] AS entities
