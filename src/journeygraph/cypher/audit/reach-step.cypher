// Answers: where one transition leads from the touchpoints $frontier, each
//   touchpoint once: one step of a breadth-first search from all the entries
//   at once (rule unreachable-touchpoint, searched in the database:
//   `journeygraph.store.audit.unreachable_rows`), each touchpoint in the
//   frontier of one step only, so the whole search is linear in the journey.
// Parameters: $journey (journey id), $revision (its current version, `sync/read-revision`), $frontier (touchpoint ids).
// Returns: touchpoint (a touchpoint id).
UNWIND $frontier AS id
MATCH (:Touchpoint:JourneyGraph {journey: $journey, revision: $revision, id: id})-[:NEXT]->(n:Touchpoint:JourneyGraph)
RETURN DISTINCT n.id AS touchpoint
