// Answers: every handoff a function takes part in, in every journey: the
//   declared ones, and the changes of hands the maps need (a transition from a
//   touchpoint it is Responsible for to one another function is Responsible
//   for, or the reverse), with whether a declared handoff covers them.
// Parameters: $function (job function id).
// Browser: :params {function: 'marketing'}
// Returns: journey, direction ('gives' or 'takes'), other (the other
//   function's id), declared (true when the handoff is declared), transitions
//   (how many transitions change hands between the two).
MATCH (me:JobFunction:JourneyGraph {key: ['JobFunction', $function]})
CALL (me) {
  MATCH (me)-[:OWNS {role: 'R'}]->(a:Touchpoint:JourneyGraph)-[:NEXT]->(b:Touchpoint:JourneyGraph)<-[:OWNS {role: 'R'}]-(other:JobFunction:JourneyGraph)
  WHERE a.id <> b.id AND other.id <> me.id AND EXISTS { MATCH (:Journey:JourneyGraph {key: ['Journey', a.journey], revision: a.revision}) }
    AND COUNT { MATCH (a)<-[:OWNS {role: 'R'}]-(both:JobFunction:JourneyGraph)-[:OWNS {role: 'R'}]->(b) } = 0
  RETURN a.journey AS journey, 'gives' AS direction, other, count(*) AS transitions
  UNION
  MATCH (other:JobFunction:JourneyGraph)-[:OWNS {role: 'R'}]->(a:Touchpoint:JourneyGraph)-[:NEXT]->(b:Touchpoint:JourneyGraph)<-[:OWNS {role: 'R'}]-(me)
  WHERE a.id <> b.id AND other.id <> me.id AND EXISTS { MATCH (:Journey:JourneyGraph {key: ['Journey', a.journey], revision: a.revision}) }
    AND COUNT { MATCH (a)<-[:OWNS {role: 'R'}]-(both:JobFunction:JourneyGraph)-[:OWNS {role: 'R'}]->(b) } = 0
  RETURN a.journey AS journey, 'takes' AS direction, other, count(*) AS transitions
  UNION
  MATCH (me)-[h:HANDS_OFF_TO]->(other:JobFunction:JourneyGraph)
  WHERE EXISTS { MATCH (:Journey:JourneyGraph {key: ['Journey', h.journey], revision: h.revision}) }
  RETURN h.journey AS journey, 'gives' AS direction, other, 0 AS transitions
  UNION
  MATCH (other:JobFunction:JourneyGraph)-[h:HANDS_OFF_TO]->(me)
  WHERE EXISTS { MATCH (:Journey:JourneyGraph {key: ['Journey', h.journey], revision: h.revision}) }
  RETURN h.journey AS journey, 'takes' AS direction, other, 0 AS transitions
}
WITH me, journey, direction, other, max(transitions) AS transitions
RETURN
  journey,
  direction,
  other.id AS other,
  CASE direction
    WHEN 'gives' THEN EXISTS { MATCH (me)-[h:HANDS_OFF_TO]->(other) WHERE h.journey = journey AND EXISTS { MATCH (:Journey:JourneyGraph {key: ['Journey', h.journey], revision: h.revision}) } }
    ELSE EXISTS { MATCH (other)-[h:HANDS_OFF_TO]->(me) WHERE h.journey = journey AND EXISTS { MATCH (:Journey:JourneyGraph {key: ['Journey', h.journey], revision: h.revision}) } }
  END AS declared,
  transitions
ORDER BY journey, direction, other
