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
// Each side's Responsible functions, and their departments (a function has one
// at most): the sides share a department when the two lists meet, where
// matching every department's functions for each transition took half the time.
MATCH (f:JobFunction:JourneyGraph)-[:OWNS {role: 'R'}]->(a)
OPTIONAL MATCH (f)-[:PART_OF]->(fd:Department:JourneyGraph)
WITH a, b, collect(DISTINCT f.id) AS from_functions, collect(DISTINCT fd.id) AS from_departments
MATCH (g:JobFunction:JourneyGraph)-[:OWNS {role: 'R'}]->(b)
OPTIONAL MATCH (g)-[:PART_OF]->(gd:Department:JourneyGraph)
WITH
  a,
  b,
  from_functions,
  from_departments,
  collect(DISTINCT g.id) AS to_functions,
  collect(DISTINCT gd.id) AS to_departments
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
  none(d IN to_departments WHERE d IN from_departments) AS cross_department
