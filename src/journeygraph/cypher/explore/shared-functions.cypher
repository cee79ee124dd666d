// Answers: the job functions that appear in the most journeys.
// Parameters: $limit (the most functions to return).
// Browser: :params {limit: 5}
// Returns: function, name, journey_count, journeys (their ids).
MATCH (j:Journey:JourneyGraph)-[:HAS_FUNCTION]->(f:JobFunction:JourneyGraph)
WITH f, collect(j.id) AS journeys
RETURN f.id AS function, f.name AS name, size(journeys) AS journey_count, journeys
ORDER BY journey_count DESC, function
LIMIT $limit
