// Answers: the functions whose loss would split the journey's handoff network
//   in two (the report's single points of failure), as the Graph Data Science
//   library's articulation points. The network joins two functions when
//   responsibility passes from one to the other on a transition of the journey
//   (their Responsible functions share none), or a handoff between them is
//   declared; read without direction.
//   The network is projected into GDS's memory under $graph, a name
//   journeygraph makes up (`neo4j query` does when it is not given), and
//   dropped again before the query returns.
// Parameters: $journey (journey id), $revision (its current version, `sync/read-revision`), $graph (the projection's name).
// Browser: :params {journey: 'b2b-saas', revision: COLLECT { MATCH (j:Journey:JourneyGraph {key: ['Journey', 'b2b-saas']}) RETURN j.revision }[0], graph: 'journeygraph-spof'}
// Returns: function (id), name.
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
WITH gds.graph.project($graph, f, g, {}, {undirectedRelationshipTypes: ['*']}) AS projected
WITH projected
WHERE projected IS NOT NULL
// GDS 2.13's articulation points fail on a network with no handoff at all
// (there are none there). Aggregating without a key gives one row even with no
// such function, so the projection is always dropped.
CALL (projected) {
  WITH projected
  WHERE projected.relationshipCount > 0
  CALL gds.articulationPoints.stream(projected.graphName) YIELD nodeId
  RETURN collect(gds.util.asNode(nodeId)) AS points
}
CALL gds.graph.drop($graph, false) YIELD graphName
UNWIND points AS f
RETURN f.id AS function, f.name AS name
ORDER BY function
