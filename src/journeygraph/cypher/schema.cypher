// Answers: the constraints and indexes journeygraph's Neo4j schema relies on;
//   `journeygraph neo4j push` runs this file before every push, all of it in one
//   transaction: it is created whole or not at all.
// Parameters: none.
// Returns: nothing.
//
// Every node journeygraph writes carries the label JourneyGraph beside its own
// (Journey, Stage, Touchpoint, ...), and a `key`: [label, journey, id] for what
// belongs to a journey ([label, journey, id, revision] for the nodes of one of
// its versions: see `revision` below), [label, id] for what is org-wide (functions,
// departments, journeys). The constraint and the indexes are on JourneyGraph
// only, so that the nodes other applications keep under the same labels
// (their own :Department, say) are neither constrained nor indexed by
// journeygraph. A uniqueness constraint, not a node key, so that Community
// Edition runs it.
CREATE CONSTRAINT journeygraph_key IF NOT EXISTS
FOR (n:JourneyGraph) REQUIRE n.key IS UNIQUE;

CREATE INDEX journeygraph_journey_id IF NOT EXISTS
FOR (n:JourneyGraph) ON (n.journey, n.id);

CREATE INDEX journeygraph_journey IF NOT EXISTS
FOR (n:JourneyGraph) ON (n.journey);

// A journey's current version: its stages, touchpoints, personas and
// opportunities of the revision its Journey node names (a staged push writes
// the next one beside it, then moves that pointer).
CREATE INDEX journeygraph_journey_revision IF NOT EXISTS
FOR (n:JourneyGraph) ON (n.journey, n.revision);

CREATE INDEX journeygraph_id IF NOT EXISTS
FOR (n:JourneyGraph) ON (n.id);

// What Bloom's search bar looks up: journeygraph's nodes by name, id or description.
CREATE FULLTEXT INDEX journeygraph_search IF NOT EXISTS
FOR (n:JourneyGraph) ON EACH [n.name, n.id, n.description];

CREATE INDEX journeygraph_staged_key IF NOT EXISTS
FOR (n:JourneyGraphStaged) ON (n.key);
