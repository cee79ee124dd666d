// Answers: takes journeygraph's push locks, held until the transaction ends: one
//   per journey, function and department a push writes, taken in the order given
//   (sorted, so that two pushes never wait for each other in a circle). Two
//   pushes that share a function or department run one after the other and each
//   checks what the other wrote; pushes that share nothing run side by side.
//   Each lock is the key constraint's lock on the key ['PushLock', kind, id]:
//   MERGE on the constraint takes it (Neo4j's locking unique index seek) and
//   keeps it until the transaction ends, and the node it creates is deleted at
//   once, so that no lock node is ever committed: nothing is left behind when
//   what it locks is deleted, and no push can find, and wait on, a lock node
//   another transaction deletes. A lock node an earlier build committed is
//   deleted the same way (`neo4j migrate` removes the rest). Without the key
//   constraint (a database whose schema was never created) the locks exclude
//   nothing.
// Parameters: $locks (sorted {kind, id}: kind 'journey', 'function' or 'department').
// Returns: nothing.
UNWIND $locks AS lock
MERGE (l:PushLock:JourneyGraph {key: ['PushLock', lock.kind, lock.id]})
DELETE l
