// Answers: what a staged version holds, per label (Stage, Touchpoint, Persona,
//   Opportunity, and JobFunction for the stand-ins), and the stand-ins whose
//   function journeygraph holds by now (another push made it meanwhile); then its
//   roles (OWNS) and opportunities' owners (OWNED_BY): a role on a live function
//   goes if another push deletes that function meanwhile. The switch goes ahead
//   only when the version is whole and no stand-in is taken.
// Parameters: $token (the staged version).
// Returns: label, nodes (or relationships), taken (ids of taken stand-ins).
MATCH (n:JourneyGraphStaged)
WHERE n.staged = $token
WITH n.key[0] AS label, count(n) AS nodes,
  collect(CASE WHEN n.key[0] = 'JobFunction' THEN n.key END) AS stand_ins
RETURN label, nodes,
  [key IN stand_ins WHERE EXISTS { MATCH (:JobFunction:JourneyGraph {key: key}) } | key[1]] AS taken
UNION ALL
MATCH (t:JourneyGraphStaged)<-[r:OWNS]-()
WHERE t.staged = $token
RETURN 'OWNS' AS label, count(r) AS nodes, [] AS taken
UNION ALL
MATCH (o:JourneyGraphStaged)-[r:OWNED_BY]->()
WHERE o.staged = $token
RETURN 'OWNED_BY' AS label, count(r) AS nodes, [] AS taken
