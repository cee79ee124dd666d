// Lints Cypher with Neo4j's own parser and semantic analyser, offline.
//
// Reads JSON on stdin: {"schema": {...}, "queries": [{"file", "text", "parameters"}]}
// where schema holds labels, relationshipTypes, propertyKeys and graphSchema
// generated from journeygraph's model. Prints one line per diagnostic,
// file:line:col: severity: message, and exits 1 when there is any: warnings
// (an unknown label or property, a deprecated function) fail as well as errors.
import { readFileSync } from 'node:fs';
import { lintCypherQuery, testData } from '@neo4j-cypher/language-support';

const input = JSON.parse(readFileSync(0, 'utf8'));
// The mock schema carries Neo4j's built-in function and procedure registry.
const builtins = testData.mockSchema;
// Every query must hold in both languages a Neo4j 5.26+ server speaks.
const VERSIONS = ['CYPHER 5', 'CYPHER 25'];
let problems = 0;
for (const version of VERSIONS) {
  for (const query of input.queries) {
    const parameters = Object.fromEntries(query.parameters.map((name) => [name, null]));
    const schema = {
      ...input.schema,
      functions: builtins.functions,
      procedures: builtins.procedures,
      parameters,
      defaultLanguage: version,
    };
    const { diagnostics } = lintCypherQuery(query.text, schema);
    for (const d of diagnostics) {
      const line = d.range.start.line + 1 + (query.line ?? 0);
      const where = `${query.file}:${line}:${d.range.start.character + 1}`;
      const kind = d.severity === 1 ? 'error' : 'warning';
      console.log(`${where}: ${kind}: ${d.message.split('\n')[0]} (${version})`);
      problems += 1;
    }
  }
}
console.log(
  `cypher-lint: ${input.queries.length} queries, ${problems} problems ` +
    `(each in ${VERSIONS.join(' and ')})`,
);
process.exit(problems ? 1 : 0);
