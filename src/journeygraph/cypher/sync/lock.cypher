// Answers: takes journeygraph's push locks, held until the transaction ends: one
//   node per journey, function and department a push writes, taken in the order
//   given (sorted, so that two pushes never wait for each other in a circle).
//   Two pushes that share a function or department run one after the other and
//   each checks what the other wrote; pushes that share nothing run side by side.
//   The write sets what the node already holds: taking a lock changes nothing.
// Parameters: $locks (sorted {kind, id}: kind 'journey', 'function' or 'department').
// Returns: nothing.
UNWIND $locks AS lock
MERGE (l:PushLock:JourneyGraph {key: ['PushLock', lock.kind, lock.id]})
ON CREATE SET l.id = lock.kind + ':' + lock.id
SET l.held = true
