// Answers: declared handoffs that cover no change of hands: no transition
//   a -> b where the giver is Responsible for a, the taker for b, no function
//   is Responsible for both, and (for a scoped handoff) a -> b is marked
//   HANDOFF_AT with its giver and taker (rule unused-handoff).
// Parameters: $journey (journey id), $revision (its current version, `sync/read-revision`).
// Returns: entities (from and to function ids).
// (With no change of hands at all, the aggregation still gives its one row.)
// The journey's changes of hands are found once, from its own touchpoints (an
// index seek), and each declared handoff looked up among them: a subquery per
// handoff that searched the giver's touchpoints took minutes at 100 journeys of
// 1,000 touchpoints in one database.
MATCH (g:JobFunction:JourneyGraph)-[:OWNS {role: 'R'}]->(a:Touchpoint:JourneyGraph {journey: $journey, revision: $revision})
  -[:NEXT]->(b:Touchpoint:JourneyGraph)<-[:OWNS {role: 'R'}]-(t:JobFunction:JourneyGraph)
WHERE a.id <> b.id
  AND NOT EXISTS {
    MATCH (a)<-[:OWNS {role: 'R'}]-(both:JobFunction:JourneyGraph)-[:OWNS {role: 'R'}]->(b)
  }
OPTIONAL MATCH (a)-[s:HANDOFF_AT]->(b)
WHERE s.giver = g.id AND s.taker = t.id
WITH g, t, s IS NOT NULL AS marked
WITH collect(DISTINCT [g.id, t.id]) AS changes,
  collect(DISTINCT CASE WHEN marked THEN [g.id, t.id] END) AS marked_changes
MATCH (giver:JobFunction:JourneyGraph)-[h:HANDS_OFF_TO]->(taker:JobFunction:JourneyGraph)
WHERE h.journey = $journey AND h.revision = $revision
  AND NOT (
    CASE
      WHEN coalesce(h.scoped, false) THEN [giver.id, taker.id] IN marked_changes
      ELSE [giver.id, taker.id] IN changes
    END
  )
RETURN DISTINCT [giver.id, taker.id] AS entities
