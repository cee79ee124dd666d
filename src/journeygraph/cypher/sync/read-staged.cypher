// Answers: whether a staged version may be switched to, in the switch of a
//   staged push (under the journey's push lock): its mark is there and not doomed
//   (no other push of the journey has begun to remove it: sync/delete-leftovers),
//   which of its stand-ins another push has made functions meanwhile, and which
//   of the live functions its roles, owners and handoffs point at another push
//   has deleted meanwhile. It reads a few nodes, whatever the journey's size.
// Parameters: $journey (journey id), $revision (the staged version), $functions
//   (ids of the functions it uses that the journey does not list now).
// Returns: whole, taken (ids of taken stand-ins), gone (ids of deleted functions).
OPTIONAL MATCH (mark:JourneyGraphStaged {key: ['Revision', $journey, $revision]})
WHERE mark.staged = $revision AND mark.doomed IS NULL
WITH count(mark) > 0 AS whole
OPTIONAL MATCH (stand_in:JourneyGraphStaged)
WHERE stand_in.staged = $revision AND stand_in.key[0] = 'JobFunction'
  AND EXISTS { MATCH (:JobFunction:JourneyGraph {key: stand_in.key}) }
WITH whole, collect(stand_in.id) AS taken
RETURN whole, taken,
  [id IN $functions WHERE NOT EXISTS { MATCH (:JobFunction:JourneyGraph {key: ['JobFunction', id]}) }
    AND NOT EXISTS {
      MATCH (own:JourneyGraphStaged {key: ['JobFunction', id]})
      WHERE own.staged = $revision
    }] AS gone
