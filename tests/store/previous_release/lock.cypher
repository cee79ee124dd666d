// Answers: takes journeygraph's push lock, held until the transaction ends: a
//   push writes this node first, so two pushes that share functions or
//   departments run one after the other and each checks what the other wrote.
//   The write sets what the node already holds: taking the lock changes nothing.
// Parameters: none.
// Returns: nothing.
MERGE (lock:PushLock {id: 'push'})
SET lock.held = true
