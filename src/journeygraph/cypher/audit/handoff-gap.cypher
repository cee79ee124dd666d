// Answers: transitions where responsibility changes hands (the Responsible
//   functions on the two sides share none) and no declared handoff goes from a
//   function of one side to a function of the other that covers the transition
//   (rule handoff-gap): a scoped handoff (`at` in the map) covers only the
//   transitions marked HANDOFF_AT with its giver and taker.
// Parameters: $journey (journey id).
// Returns: entities (from and to touchpoint ids), from_functions and
//   to_functions (the Responsible function ids of each side), cross_department
//   (true when no function of one side shares a department with one of the other).
MATCH (a:Touchpoint:JourneyGraph {journey: $journey})-[:NEXT]->(b:Touchpoint:JourneyGraph)
WHERE a.id <> b.id
WITH DISTINCT a, b
MATCH (f:JobFunction:JourneyGraph)-[:OWNS {role: 'R'}]->(a)
WITH a, b, collect(DISTINCT f.id) AS from_functions
MATCH (g:JobFunction:JourneyGraph)-[:OWNS {role: 'R'}]->(b)
WITH a, b, from_functions, collect(DISTINCT g.id) AS to_functions
WHERE none(id IN to_functions WHERE id IN from_functions)
  // Each side's Responsible functions expanded from the transition's ends: a
  // few relationships per transition, where matching every handoff and
  // filtering by the functions' ids read all the handoffs for each transition.
  AND NOT EXISTS {
    MATCH (a)<-[:OWNS {role: 'R'}]-(giver:JobFunction:JourneyGraph)
      -[h:HANDS_OFF_TO]->(taker:JobFunction:JourneyGraph)-[:OWNS {role: 'R'}]->(b)
    WHERE h.journey = $journey
      AND (
        coalesce(h.scoped, false) = false
        OR EXISTS {
          MATCH (a)-[s:HANDOFF_AT]->(b)
          WHERE s.giver = giver.id AND s.taker = taker.id
        }
      )
  }
RETURN
  [a.id, b.id] AS entities,
  from_functions,
  to_functions,
  NOT EXISTS {
    MATCH (giver:JobFunction:JourneyGraph)-[:PART_OF]->(:Department:JourneyGraph)<-[:PART_OF]-(taker:JobFunction:JourneyGraph)
    WHERE giver.id IN from_functions AND taker.id IN to_functions
  } AS cross_department
