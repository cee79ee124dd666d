// Answers: creates or updates the journey's opportunities, each linked from the
//   journey (HAS_OPPORTUNITY) and to its owner (OWNED_BY).
// Parameters: $journey (journey id), $revision (its current version, `sync/read-revision`), $rows (id, name, description, owner, status,
//   priority, position).
// Returns: nothing. Runs after the functions are written.
MATCH (j:Journey:JourneyGraph {key: ['Journey', $journey]})
UNWIND $rows AS row
MERGE (o:Opportunity:JourneyGraph {key: ['Opportunity', $journey, row.id, $revision]})
ON CREATE SET o.journey = $journey, o.id = row.id, o.revision = $revision
SET o.name = row.name, o.description = row.description, o.status = row.status,
  o.priority = row.priority, o.position = row.position
MERGE (j)-[:HAS_OPPORTUNITY]->(o)
WITH o, row
OPTIONAL MATCH (o)-[old:OWNED_BY]->(other:JobFunction:JourneyGraph)
WHERE other.id <> coalesce(row.owner, '')
DELETE old
WITH DISTINCT o, row
WHERE row.owner IS NOT NULL
MATCH (f:JobFunction:JourneyGraph {key: ['JobFunction', row.owner]})
MERGE (o)-[:OWNED_BY]->(f)
