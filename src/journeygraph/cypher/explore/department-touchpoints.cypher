// Answers: the touchpoints a department's functions hold a role on, in every
//   journey.
// Parameters: $department (department id).
// Browser: :params {department: 'sales'}
// Returns: journey, stage, touchpoint, function, role.
MATCH (:Department:JourneyGraph {key: ['Department', $department]})<-[:PART_OF]-(f:JobFunction:JourneyGraph)-[o:OWNS]->(t:Touchpoint:JourneyGraph)
// Only the journey's current version: a staged push's new one waits for its switch.
WHERE EXISTS { MATCH (:Journey:JourneyGraph {key: ['Journey', t.journey], revision: t.revision}) }
MATCH (t)-[:IN_STAGE]->(s:Stage:JourneyGraph)
RETURN t.journey AS journey, s.id AS stage, t.id AS touchpoint, f.id AS function, o.role AS role
ORDER BY journey, s.position, t.position, role, function
