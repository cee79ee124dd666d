// Answers: touchpoints whose Responsible and Accountable functions share no
//   department; a function without a department is a department of its own, so
//   only the same function or two functions PART_OF one department are close
//   (rule split-accountability).
// Parameters: $journey (journey id), $revision (its current version, `sync/read-revision`).
// Returns: packed (true), entities (the touchpoint id, in a list), responsible
//   and accountable (function ids). The touchpoints are packed by columns in one
//   row, each value in a list of one (`journeygraph.store.runner.unpacked`): on
//   a dense journey most of its 10,000 touchpoints may be found.
MATCH (r:JobFunction:JourneyGraph)-[:OWNS {role: 'R'}]->(t:Touchpoint:JourneyGraph {journey: $journey, revision: $revision})
  <-[:OWNS {role: 'A'}]-(a:JobFunction:JourneyGraph)
WITH t, r, a,
  CASE
    WHEN r.id = a.id THEN 1
    WHEN EXISTS { MATCH (r)-[:PART_OF]->(:Department:JourneyGraph)<-[:PART_OF]-(a) } THEN 1
    ELSE 0
  END AS close
WITH t, collect(DISTINCT r.id) AS responsible, collect(DISTINCT a.id) AS accountable,
  sum(close) AS close_pairs
WHERE close_pairs = 0
RETURN
  true AS packed,
  collect([[t.id]]) AS entities,
  collect([responsible]) AS responsible,
  collect([accountable]) AS accountable
