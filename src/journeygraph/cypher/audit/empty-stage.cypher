// Answers: stages with no touchpoints (rule empty-stage).
// Parameters: $journey (journey id), $revision (its current version, `sync/read-revision`).
// Returns: entities (the stage id, in a list).
MATCH (s:Stage:JourneyGraph {journey: $journey, revision: $revision})
// COUNT rather than NOT EXISTS: Neo4j's analyser misreads a negated pattern
// into a label that only one relationship type reaches.
WHERE COUNT { MATCH (:Touchpoint:JourneyGraph)-[:IN_STAGE]->(s) } = 0
RETURN [s.id] AS entities
