// Answers: the version and edition of the Neo4j server: journeygraph supports
//   5.26 LTS and the calendar versions from 2025 on (Cypher 25).
// Parameters: none.
// Returns: version (e.g. 5.26.0 or 2025.01.0), edition.
CALL dbms.components() YIELD name, versions, edition
WHERE name = 'Neo4j Kernel'
RETURN versions[0] AS version, edition
