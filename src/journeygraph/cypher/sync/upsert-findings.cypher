// Answers: stores the journey's audit findings, one node each, in the audit's
//   order (`position`), linked from the journey (HAS_FINDING) so that reads of
//   its findings start from its node; `waiver` holds the reason of a waived one.
// Parameters: $journey (journey id), $rows (position, rule, severity, message,
//   entities, waiver).
// Returns: nothing.
MATCH (j:Journey:JourneyGraph {key: ['Journey', $journey]})
UNWIND $rows AS row
CREATE (j)-[:HAS_FINDING]->(:Finding:JourneyGraph {
  key: ['Finding', $journey, row.id], journey: $journey, id: row.id, position: row.position, rule: row.rule, severity: row.severity,
  message: row.message, entities: row.entities, waiver: row.waiver
})
