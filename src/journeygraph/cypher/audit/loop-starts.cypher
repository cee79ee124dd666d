// Answers: where audit/loop looks for loops: the touchpoints a transition leads
//   to from the same touchpoint or one later in map order, first in map order
//   first. Every loop holds one: its first touchpoint in map order, which some
//   touchpoint of the loop leads back to. Journeys drawn in order have few.
// Parameters: $journey (journey id), $revision (its current version, `sync/read-revision`).
// Returns: start (a touchpoint id).
MATCH (b:Touchpoint:JourneyGraph {journey: $journey, revision: $revision})-[:NEXT]->(a:Touchpoint:JourneyGraph)
WHERE b.position >= a.position
WITH DISTINCT a
RETURN a.id AS start
ORDER BY a.position
