// Answers: links each stored finding not yet linked from its journey (written by
//   a release before HAS_FINDING, or labelled by `label-findings` just before)
//   to its journey's node, so that reads of the findings start from the journey.
// Parameters: none.
// Returns: linked (how many).
MATCH (j:Journey:JourneyGraph)
MATCH (x:Finding:JourneyGraph {journey: j.id})
WHERE count { (j)-[:HAS_FINDING]->(x) } = 0
CREATE (j)-[:HAS_FINDING]->(x)
RETURN count(x) AS linked
