// Answers: drops the constraints and indexes of journeygraph releases before
//   the JourneyGraph label, which claimed the generic labels (every :Department
//   of every application, say). `journeygraph neo4j migrate` runs each
//   statement only when migrate/earlier-schema shows it under that name with the
//   earlier definition, so a constraint of someone else's of the same name stays.
// Parameters: none.
// Returns: nothing.
DROP CONSTRAINT journey_id IF EXISTS;

DROP CONSTRAINT push_lock_id IF EXISTS;

DROP CONSTRAINT department_id IF EXISTS;

DROP CONSTRAINT job_function_id IF EXISTS;

DROP CONSTRAINT stage_journey_id IF EXISTS;

DROP CONSTRAINT touchpoint_journey_id IF EXISTS;

DROP INDEX stage_journey IF EXISTS;

DROP INDEX touchpoint_journey IF EXISTS;

DROP INDEX finding_journey_position IF EXISTS;

DROP INDEX hands_off_to_journey IF EXISTS;
