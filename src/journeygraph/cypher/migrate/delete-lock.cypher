// Answers: removes the one push lock of earlier releases, (:PushLock {id:
//   'push'}), when it is theirs: no other property than its `held`, no
//   relationship. Pushes now lock per journey, function and department.
// Parameters: none.
// Returns: labelled (how many were removed).
MATCH (l:PushLock {id: 'push'})
WHERE NOT l:JourneyGraph AND all(k IN keys(l) WHERE k IN ['id', 'held'])
  AND NOT EXISTS { MATCH (l)--() }
DELETE l
RETURN count(*) AS labelled
