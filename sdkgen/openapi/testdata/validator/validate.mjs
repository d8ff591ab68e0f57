// validate.mjs checks OpenAPI documents with @apidevtools/swagger-parser:
// against the OpenAPI 3.0 / Swagger 2.0 schema, then its own semantic
// checks (path parameters declared, unique operation ids, references
// that resolve). Usage: node validate.mjs FILE...; it prints "valid FILE"
// for each and exits 1 at the first invalid one.
import SwaggerParser from '@apidevtools/swagger-parser';

for (const file of process.argv.slice(2)) {
  try {
    await SwaggerParser.validate(file);
    console.log(`valid ${file}`);
  } catch (err) {
    console.error(`invalid ${file}: ${err.message}`);
    process.exit(1);
  }
}
