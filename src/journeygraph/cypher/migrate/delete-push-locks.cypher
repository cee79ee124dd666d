// Answers: removes the push-lock nodes that builds before this one committed
//   ((:PushLock:JourneyGraph), one per journey, function and department ever
//   pushed, kept after what they locked was deleted). Pushes now delete each
//   lock node in the transaction that makes it (sync/lock): no committed one is
//   in use, and a push that meets one deletes it too. A lock node another
//   application has linked to is left alone.
// Parameters: none.
// Returns: removed (how many).
MATCH (l:PushLock:JourneyGraph)
WHERE NOT EXISTS { MATCH (l)--() }
DELETE l
RETURN count(*) AS removed
