// Answers: the journey's declared handoffs, packed by columns in one row (each
//   value in a list of one: `journeygraph.store.runner.unpacked`), each with its
//   place in the map.
// Parameters: $journey (journey id), $revision (its current version, `sync/read-revision`).
// Returns: packed (true), source, target, name, description, sla, artefact,
//   system, scoped, position.
MATCH (giver:JobFunction:JourneyGraph)-[h:HANDS_OFF_TO]->(taker:JobFunction:JourneyGraph)
WHERE h.journey = $journey AND h.revision = $revision
RETURN
  true AS packed,
  collect([giver.id]) AS source,
  collect([taker.id]) AS target,
  collect([h.name]) AS name,
  collect([h.description]) AS description,
  collect([h.sla]) AS sla,
  collect([h.artefact]) AS artefact,
  collect([h.system]) AS system,
  collect([h.scoped]) AS scoped,
  collect([h.position]) AS position
