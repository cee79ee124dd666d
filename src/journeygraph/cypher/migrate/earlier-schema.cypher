// Answers: the indexes of the database (those behind constraints too), with
//   what they cover: `neo4j migrate` drops the earlier releases' by name when
//   the definition is theirs.
// Parameters: none.
// Returns: name, labels (labels or relationship types), properties, constraint
//   (true when a constraint owns the index).
SHOW INDEXES YIELD name, labelsOrTypes, properties, owningConstraint
RETURN name, labelsOrTypes AS labels, properties, owningConstraint IS NOT NULL AS constraint
