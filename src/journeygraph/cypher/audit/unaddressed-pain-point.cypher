// Answers: touchpoints with a pain point, of every customer or of a persona,
//   that no opportunity IMPROVES (rule unaddressed-pain-point).
// Parameters: $journey (journey id), $revision (its current version, `sync/read-revision`).
// Returns: entities (the touchpoint id, in a list), everyone (the pain points of
//   every customer), by_persona (each persona's pain points) and positions (the
//   place of each in the touchpoint's experience list, to order them by).
MATCH (t:Touchpoint:JourneyGraph {journey: $journey, revision: $revision})
WHERE NOT EXISTS { MATCH (:Opportunity:JourneyGraph)-[:IMPROVES]->(t) }
OPTIONAL MATCH (:Persona:JourneyGraph)-[f:FEELS]->(t)
WITH t, coalesce(t.pain_points, []) AS everyone, collect(coalesce(f.pain_points, [])) AS by_persona,
  collect(f.position) AS positions
WHERE size(everyone) > 0 OR any(felt IN by_persona WHERE size(felt) > 0)
RETURN [t.id] AS entities, everyone, by_persona, positions
