// Answers: the departments each of $journeys lists: whether a function they
//   share may move to another department and leave each a valid map.
// Parameters: $journeys (journey ids).
// Returns: journey, departments (ids).
MATCH (j:Journey:JourneyGraph)
WHERE j.id IN $journeys
OPTIONAL MATCH (j)-[:HAS_DEPARTMENT]->(d:Department:JourneyGraph)
RETURN j.id AS journey, collect(d.id) AS departments
ORDER BY journey
