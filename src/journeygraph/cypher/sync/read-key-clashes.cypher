// Answers: journeygraph's nodes that share a key, which its key constraint
//   cannot be created over: why `neo4j push` could not create the schema.
// Parameters: none.
// Returns: label (the node's other label), key, nodes (their element ids).
MATCH (n:JourneyGraph)
WITH n.key AS key, collect(n) AS nodes
WHERE size(nodes) > 1
RETURN key[0] AS label, key, [n IN nodes | elementId(n)] AS nodes
ORDER BY label
LIMIT 10
