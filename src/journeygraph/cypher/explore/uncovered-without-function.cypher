// Answers: what a function's disappearance would leave uncovered: in every
//   journey, the touchpoints it is the only Responsible function for, which
//   would be left with nobody doing them.
// Parameters: $function (job function id).
// Browser: :params {function: 'marketing'}
// Returns: journey, stage, touchpoint, name.
MATCH (f:JobFunction:JourneyGraph {key: ['JobFunction', $function]})-[:OWNS {role: 'R'}]->(t:Touchpoint:JourneyGraph)-[:IN_STAGE]->(s:Stage:JourneyGraph)
// Only the journey's current version: a staged push's new one waits for its switch.
WHERE EXISTS { MATCH (:Journey:JourneyGraph {key: ['Journey', t.journey], revision: t.revision}) }
  AND COUNT { MATCH (t)<-[:OWNS {role: 'R'}]-(:JobFunction:JourneyGraph) } = 1
RETURN t.journey AS journey, s.id AS stage, t.id AS touchpoint, coalesce(t.name, t.id) AS name
ORDER BY journey, s.position, t.position
