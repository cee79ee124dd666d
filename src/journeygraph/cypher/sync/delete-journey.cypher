// Answers: removes the journey node itself, once its stages, touchpoints,
//   handoffs and stored findings are gone (the functions and departments only
//   it used go with the sweeps that follow).
// Parameters: $journey (journey id).
// Returns: nothing.
MATCH (j:Journey:JourneyGraph {key: ['Journey', $journey]})
DETACH DELETE j
