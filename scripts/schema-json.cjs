// Writes every experiment kind's config schema (docs/wasm-api.md, "Schemas") as one JSON file,
// {"toy": {kind, fields}, ...}, read from the wasm module itself so the site's copy is the
// module's. Run by the `site` target (CMakeLists.txt): node schema-json.cjs path/to/lab.js OUT.json
// Not here: the schema's content (src/core/schema.hpp and each config's fields()).
'use strict';
const fs = require('fs');
const path = require('path');

const [labJs, out] = process.argv.slice(2);
if (!labJs || !out) {
  console.error('usage: node schema-json.cjs path/to/lab.js OUT.json');
  process.exit(2);
}
require(path.resolve(labJs))().then((Module) => {
  const all = {};
  for (const kind of JSON.parse(Module.schemaKinds())) {
    const answer = JSON.parse(Module.schema(kind));
    if (!answer.ok) throw new Error(`schema(${kind}): ${answer.error}`);
    delete answer.ok;
    all[kind] = answer;
  }
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify(all) + '\n');
}).catch((e) => {
  console.error(`schema-json: ${e.message}`);
  process.exit(1);
});
