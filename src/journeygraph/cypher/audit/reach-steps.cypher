// Answers: where up to eight transitions lead from the touchpoints $frontier,
//   leaving out the touchpoints $reached, each touchpoint once: eight steps of
//   `neo4j audit`'s breadth-first search from all the entries at once (rule
//   unreachable-touchpoint). Each step follows the transitions of every
//   touchpoint found so far and keeps each touchpoint once (DISTINCT), so a
//   touchpoint is followed at most eight times in the query that finds it and
//   in no later query, which leaves it out: the whole search reads each
//   transition at most nine times, linear in the journey, in one query per
//   eight steps (one per step took 149 queries at 10,000 touchpoints, 4.7 s,
//   most of it the round trips; one `[:NEXT*1..8]` would search from each
//   touchpoint of the frontier apart).
// Parameters: $journey (journey id), $frontier (touchpoint ids), $reached
//   (the touchpoint ids found before, $frontier among them).
// Returns: touchpoint (a touchpoint id).
UNWIND $frontier AS id
MATCH (:Touchpoint:JourneyGraph {journey: $journey, id: id})-[:NEXT]->(n:Touchpoint:JourneyGraph)
WHERE NOT n.id IN $reached
WITH DISTINCT n
// Seven more steps, each the same: what was found, and where it leads.
OPTIONAL MATCH (n)-[:NEXT]->(m:Touchpoint:JourneyGraph)
WHERE NOT m.id IN $reached
UNWIND [n.id, m.id] AS id
WITH DISTINCT id
WHERE id IS NOT NULL
MATCH (n:Touchpoint:JourneyGraph {journey: $journey})
WHERE n.id = id
WITH n
OPTIONAL MATCH (n)-[:NEXT]->(m:Touchpoint:JourneyGraph)
WHERE NOT m.id IN $reached
UNWIND [n.id, m.id] AS id
WITH DISTINCT id
WHERE id IS NOT NULL
MATCH (n:Touchpoint:JourneyGraph {journey: $journey})
WHERE n.id = id
WITH n
OPTIONAL MATCH (n)-[:NEXT]->(m:Touchpoint:JourneyGraph)
WHERE NOT m.id IN $reached
UNWIND [n.id, m.id] AS id
WITH DISTINCT id
WHERE id IS NOT NULL
MATCH (n:Touchpoint:JourneyGraph {journey: $journey})
WHERE n.id = id
WITH n
OPTIONAL MATCH (n)-[:NEXT]->(m:Touchpoint:JourneyGraph)
WHERE NOT m.id IN $reached
UNWIND [n.id, m.id] AS id
WITH DISTINCT id
WHERE id IS NOT NULL
MATCH (n:Touchpoint:JourneyGraph {journey: $journey})
WHERE n.id = id
WITH n
OPTIONAL MATCH (n)-[:NEXT]->(m:Touchpoint:JourneyGraph)
WHERE NOT m.id IN $reached
UNWIND [n.id, m.id] AS id
WITH DISTINCT id
WHERE id IS NOT NULL
MATCH (n:Touchpoint:JourneyGraph {journey: $journey})
WHERE n.id = id
WITH n
OPTIONAL MATCH (n)-[:NEXT]->(m:Touchpoint:JourneyGraph)
WHERE NOT m.id IN $reached
UNWIND [n.id, m.id] AS id
WITH DISTINCT id
WHERE id IS NOT NULL
MATCH (n:Touchpoint:JourneyGraph {journey: $journey})
WHERE n.id = id
WITH n
OPTIONAL MATCH (n)-[:NEXT]->(m:Touchpoint:JourneyGraph)
WHERE NOT m.id IN $reached
UNWIND [n.id, m.id] AS id
WITH DISTINCT id
WHERE id IS NOT NULL
MATCH (n:Touchpoint:JourneyGraph {journey: $journey})
WHERE n.id = id
WITH n
RETURN n.id AS touchpoint
