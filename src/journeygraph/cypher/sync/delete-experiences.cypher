// Answers: removes how a persona feels a touchpoint, where the map no longer says.
// Parameters: $journey (journey id), $revision (its current version, `sync/read-revision`), $rows (persona, touchpoint).
// Returns: nothing.
UNWIND $rows AS row
MATCH (:Persona:JourneyGraph {key: ['Persona', $journey, row.persona, $revision]})-[f:FEELS]->
  (:Touchpoint:JourneyGraph {key: ['Touchpoint', $journey, row.touchpoint, $revision]})
DELETE f
