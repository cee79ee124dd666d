// Answers: declared handoffs that cover no change of hands: no transition
//   a -> b where the giver is Responsible for a, the taker for b, no function
//   is Responsible for both, and (for a scoped handoff) a -> b is marked
//   HANDOFF_AT with its giver and taker (rule unused-handoff).
// Parameters: $journey (journey id).
// Returns: entities (from and to function ids).
MATCH (giver:JobFunction)-[h:HANDS_OFF_TO]->(taker:JobFunction)
WHERE h.journey = $journey
  // COUNT rather than NOT EXISTS, as in empty-stage.cypher.
  AND COUNT {
    MATCH (giver)-[:OWNS {role: 'R'}]->(a:Touchpoint {journey: $journey})
          -[:NEXT]->(b:Touchpoint)<-[:OWNS {role: 'R'}]-(taker)
    WHERE a.id <> b.id
      AND (
        coalesce(h.scoped, false) = false
        OR EXISTS {
          MATCH (a)-[s:HANDOFF_AT]->(b)
          WHERE s.giver = giver.id AND s.taker = taker.id
        }
      )
      AND NOT EXISTS {
        MATCH (a)<-[:OWNS {role: 'R'}]-(both:JobFunction)-[:OWNS {role: 'R'}]->(b)
      }
  } = 0
RETURN DISTINCT [giver.id, taker.id] AS entities
