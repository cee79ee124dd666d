// Answers: the constraints and indexes journeygraph's Neo4j schema relies on;
//   `journeygraph neo4j push` runs this file before every push.
// Parameters: none.
// Returns: nothing.
//
// Functions and departments are org-wide (one node per id, shared by journeys);
// stages and touchpoints belong to one journey and are unique per journey.
// Uniqueness constraints, not node keys, so that Community Edition runs them.
CREATE CONSTRAINT journey_id IF NOT EXISTS
FOR (j:Journey) REQUIRE j.id IS UNIQUE;

CREATE CONSTRAINT push_lock_id IF NOT EXISTS
FOR (l:PushLock) REQUIRE l.id IS UNIQUE;

CREATE CONSTRAINT department_id IF NOT EXISTS
FOR (d:Department) REQUIRE d.id IS UNIQUE;

CREATE CONSTRAINT job_function_id IF NOT EXISTS
FOR (f:JobFunction) REQUIRE f.id IS UNIQUE;

CREATE CONSTRAINT stage_journey_id IF NOT EXISTS
FOR (s:Stage) REQUIRE (s.journey, s.id) IS UNIQUE;

CREATE CONSTRAINT touchpoint_journey_id IF NOT EXISTS
FOR (t:Touchpoint) REQUIRE (t.journey, t.id) IS UNIQUE;

CREATE INDEX stage_journey IF NOT EXISTS
FOR (s:Stage) ON (s.journey);

CREATE INDEX touchpoint_journey IF NOT EXISTS
FOR (t:Touchpoint) ON (t.journey);

CREATE INDEX finding_journey_position IF NOT EXISTS
FOR (x:Finding) ON (x.journey, x.position);

CREATE INDEX hands_off_to_journey IF NOT EXISTS
FOR ()-[h:HANDS_OFF_TO]-() ON (h.journey);
