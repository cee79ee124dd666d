// Answers: touchpoints no sequence of transitions reaches from an entry
//   (rule unreachable-touchpoint). Entries are the touchpoints marked
//   `entry: true` or, when none is, every touchpoint of the first stage.
// Parameters: $journey (journey id), $revision (its current version, `sync/read-revision`).
// Returns: entities (the touchpoint id, in a list).
OPTIONAL MATCH (marked:Touchpoint:JourneyGraph {journey: $journey, revision: $revision})
WHERE marked.entry
WITH count(marked) > 0 AS any_marked
MATCH (e:Touchpoint:JourneyGraph {journey: $journey, revision: $revision})-[:IN_STAGE]->(s:Stage:JourneyGraph)
WHERE e.entry OR (NOT any_marked AND s.position = 0)
// An entry that an entry earlier in map order leads to reaches nothing that
// one does not: the searches start only from the others. Following such
// steps goes ever earlier in map order, so it ends at an entry searched from.
// On a journey drawn in order, a few searches instead of one per entry.
OPTIONAL MATCH (earlier:Touchpoint:JourneyGraph)-[:NEXT]->(e)
WHERE earlier.position < e.position
OPTIONAL MATCH (earlier)-[:IN_STAGE]->(before:Stage:JourneyGraph)
WITH e, count(CASE WHEN earlier.entry OR (NOT any_marked AND before.position = 0) THEN 1 END) AS fed
WHERE fed = 0
// No predicate on r (a journey's steps never leave it): with one, the planner may
// start from r by the journey index and expand back, without pruning. Every
// step's far end is journeygraph's touchpoint: a way through another
// application's nodes (its NEXT to and from journeygraph's) reaches nothing.
OPTIONAL MATCH (e)(()-[:NEXT]->(:Touchpoint:JourneyGraph)){1,}(r:Touchpoint:JourneyGraph)
// What any entry reaches, each touchpoint once: memory grows with the journey,
// not with entries times touchpoints (pairs of both ran out of memory at 10,000).
WITH DISTINCT r
WITH collect(r.id) AS reached
OPTIONAL MATCH (marked:Touchpoint:JourneyGraph {journey: $journey, revision: $revision})
WHERE marked.entry
WITH reached, count(marked) > 0 AS any_marked
MATCH (t:Touchpoint:JourneyGraph {journey: $journey, revision: $revision})-[:IN_STAGE]->(s:Stage:JourneyGraph)
WHERE NOT (t.entry OR (NOT any_marked AND s.position = 0))
WITH reached, collect(t.id) AS others
// The others not reached: counted once among the others (1), not among those
// reached (2). A lookup in the list reached per touchpoint would grow with
// the square of the journey.
UNWIND [1, 2] AS side
UNWIND CASE side WHEN 1 THEN others ELSE reached END AS id
WITH id, sum(side) AS sides
WHERE sides = 1
RETURN [id] AS entities
