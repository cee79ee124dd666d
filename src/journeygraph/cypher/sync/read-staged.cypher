// Answers: what a staged version holds, per label (Stage, Touchpoint, Persona,
//   Opportunity, and JobFunction for the stand-ins), and the stand-ins whose
//   function journeygraph holds by now (another push made it meanwhile): the
//   switch goes ahead only when the version is whole and no stand-in is taken.
// Parameters: $token (the staged version).
// Returns: label, nodes, taken (ids of taken stand-ins).
MATCH (n:JourneyGraphStaged)
WHERE n.staged = $token
OPTIONAL MATCH (live:JobFunction:JourneyGraph {key: n.key})
RETURN n.key[0] AS label, count(n) AS nodes, collect(live.id) AS taken
ORDER BY label
