// Answers: the journeys whose versions no read meets `neo4j migrate` removes
//   (`journeygraph.store.staging.delete_leftovers` for each): every journey, and
//   those of staged pushes' marks (a first push that never switched has no
//   Journey node).
// Parameters: none.
// Returns: journey.
MATCH (j:Journey:JourneyGraph)
RETURN j.id AS journey
UNION
MATCH (mark:JourneyGraphStaged)
WHERE mark.key[0] = 'Revision'
RETURN mark.staged_for AS journey
