// Answers: stores the journey's audit findings, one node each, in the audit's
//   order (`position`); `waiver` holds the reason of a waived one.
// Parameters: $journey (journey id), $rows (position, rule, severity, message,
//   entities, waiver).
// Returns: nothing.
UNWIND $rows AS row
CREATE (:Finding {
  journey: $journey, position: row.position, rule: row.rule, severity: row.severity,
  message: row.message, entities: row.entities, waiver: row.waiver
})
