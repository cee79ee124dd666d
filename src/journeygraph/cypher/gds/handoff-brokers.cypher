// Answers: how much of the journey's handoff network runs through each
//   function: its betweenness centrality (the number of shortest paths
//   between two other functions that pass through it), by the Graph Data
//   Science library. A function with a high score brokers many handoffs; if it
//   is overloaded or leaves, work between others stalls. The network joins two
//   functions when responsibility passes from one to the other on a transition
//   of the journey (their Responsible functions share none), or a handoff from
//   one to the other is declared.
//   The network is projected into GDS's memory under $graph, a name
//   journeygraph makes up (`neo4j query` does when it is not given), and
//   dropped again before the query returns.
// Parameters: $journey (journey id), $revision (its current version, `sync/read-revision`), $graph (the projection's name).
// Browser: :params {journey: 'b2b-saas', revision: COLLECT { MATCH (j:Journey:JourneyGraph {key: ['Journey', 'b2b-saas']}) RETURN j.revision }[0], graph: 'journeygraph-brokers'}
// Returns: function (id), name, betweenness.
MATCH (:Journey:JourneyGraph {key: ['Journey', $journey]})-[:HAS_FUNCTION]->(f:JobFunction:JourneyGraph)
CALL (f) {
  MATCH (f)-[:OWNS {role: 'R'}]->(a:Touchpoint:JourneyGraph {journey: $journey, revision: $revision})-[:NEXT]->(b:Touchpoint:JourneyGraph)<-[:OWNS {role: 'R'}]-(g:JobFunction:JourneyGraph)
  // A step to itself never changes hands (and the pattern below could not use
  // one OWNS twice to find its one Responsible function on both sides).
  WHERE a <> b
    AND COUNT { MATCH (a)<-[:OWNS {role: 'R'}]-(:JobFunction:JourneyGraph)-[:OWNS {role: 'R'}]->(b) } = 0
  RETURN g
  UNION
  MATCH (f)-[h:HANDS_OFF_TO]->(g:JobFunction:JourneyGraph)
  WHERE h.journey = $journey AND h.revision = $revision
  RETURN g
  UNION
  // Keeps a function with no handoff in the network, alone.
  RETURN null AS g
}
WITH gds.graph.project($graph, f, g) AS projected
WITH projected
WHERE projected IS NOT NULL
CALL gds.betweenness.stream(projected.graphName) YIELD nodeId, score
// Aggregating without a key gives one row even with no function, so the
// projection is always dropped.
WITH collect({function: gds.util.asNode(nodeId), betweenness: score}) AS scores
CALL gds.graph.drop($graph, false) YIELD graphName
UNWIND scores AS row
RETURN row.function.id AS function, row.function.name AS name, row.betweenness AS betweenness
ORDER BY betweenness DESC, function
