// Answers: makes a staged version the journey's, in the switch of a staged
//   push: the Journey node names its revision (every read follows), its
//   HAS_STAGE, HAS_PERSONA and HAS_OPPORTUNITY to the old version's nodes go,
//   the old revision joins those to remove after the switch (`leftovers`, by
//   sync/delete-leftovers), and the staged version's mark goes. It changes
//   the journey node and its few links, whatever the journey's size.
// Parameters: $journey (journey id), $revision (the staged version).
// Returns: old (the revision it replaced).
MATCH (j:Journey:JourneyGraph {key: ['Journey', $journey]})
WITH j, j.revision AS old
SET j.revision = $revision,
  j.leftovers = [r IN coalesce(j.leftovers, []) + [old] WHERE r IS NOT NULL AND r <> $revision]
WITH j, old
OPTIONAL MATCH (j)-[link:HAS_STAGE|HAS_PERSONA|HAS_OPPORTUNITY]->(n:JourneyGraph)
WHERE n.revision <> $revision
DELETE link
WITH DISTINCT j, old
OPTIONAL MATCH (mark:JourneyGraphStaged {key: ['Revision', $journey, $revision]})
DELETE mark
RETURN DISTINCT old
