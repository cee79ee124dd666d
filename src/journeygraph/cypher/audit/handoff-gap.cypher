// Answers: transitions where responsibility changes hands (the Responsible
//   functions on the two sides share none) and no declared handoff goes from a
//   function of one side to a function of the other that covers the transition
//   (rule handoff-gap): a scoped handoff (`at` in the map) covers only the
//   transitions marked HANDOFF_AT with its giver and taker.
// Parameters: $journey (journey id), $revision (its current version, `sync/read-revision`).
// Returns: packed (true), entities (from and to touchpoint ids), from_functions
//   and to_functions (the Responsible function ids of each side),
//   cross_department (true when no function of one side shares a department
//   with one of the other). The gaps are packed by columns in one row, each
//   value in a list of one (`journeygraph.store.runner.unpacked`): a journey of
//   10,000 touchpoints may have 15,000 or more, which the Neo4j driver's Python
//   decodes in half the time as one record of lists.
// Each function's declared handoffs in the journey, read once: the ids of the
// functions it hands off to, and of those it hands off to at marked steps only.
// (Testing each transition against the handoffs of its functions read every
// handoff of a giver for each of the giver's transitions: 9 s at 10,000
// touchpoints.)
// Its department too, once a function rather than once a transition.
MATCH (:Journey:JourneyGraph {key: ['Journey', $journey]})-[:HAS_FUNCTION]->(giver:JobFunction:JourneyGraph)
OPTIONAL MATCH (giver)-[:PART_OF]->(fd:Department:JourneyGraph)
OPTIONAL MATCH (giver)-[h:HANDS_OFF_TO]->(declared:JobFunction:JourneyGraph)
WHERE h.journey = $journey AND h.revision = $revision
WITH
  giver,
  fd,
  collect(CASE WHEN NOT coalesce(h.scoped, false) THEN declared.id END) AS takers,
  collect(CASE WHEN h.scoped THEN declared.id END) AS scoped_takers
// The transitions from the touchpoints each function is Responsible for, and
// the Responsible functions of where they lead: a pair of a giver and a taker
// covers the transition when the giver declared a handoff to the taker (one
// that is scoped, only at the transitions marked with the two).
MATCH (giver)-[:OWNS {role: 'R'}]->(a:Touchpoint:JourneyGraph {journey: $journey, revision: $revision})
  -[:NEXT]->(b:Touchpoint:JourneyGraph)
WHERE a.id <> b.id
MATCH (taker:JobFunction:JourneyGraph)-[:OWNS {role: 'R'}]->(b)
OPTIONAL MATCH (a)-[s:HANDOFF_AT]->(b)
WHERE s.giver = giver.id AND s.taker = taker.id
WITH
  a,
  b,
  giver,
  fd,
  taker,
  CASE
    WHEN taker.id IN takers THEN 1
    WHEN s IS NOT NULL AND taker.id IN scoped_takers THEN 1
    ELSE 0
  END AS covering
OPTIONAL MATCH (taker)-[:PART_OF]->(gd:Department:JourneyGraph)
// The sides share a department when the two lists meet, where matching every
// department's functions for each transition took half the time.
WITH
  a,
  b,
  collect(DISTINCT giver.id) AS from_functions,
  collect(DISTINCT taker.id) AS to_functions,
  collect(DISTINCT fd.id) AS from_departments,
  collect(DISTINCT gd.id) AS to_departments,
  sum(covering) AS covering
WHERE covering = 0 AND none(id IN to_functions WHERE id IN from_functions)
RETURN
  true AS packed,
  collect([[a.id, b.id]]) AS entities,
  collect([from_functions]) AS from_functions,
  collect([to_functions]) AS to_functions,
  collect([none(d IN to_departments WHERE d IN from_departments)]) AS cross_department
