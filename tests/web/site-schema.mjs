// site-schema.mjs: lets node's test runner import web/ as the site serves it. The site's
// lib/schema.json (every kind's config schema, web/lib/schema.js) is written at build time from
// the C++ (CMake `site` target), so web/ holds none: this module points web/lib/schema.json at the
// build's copy, found in this order:
//   1. SUPERPOSE_SCHEMA (a file), 2. SUPERPOSE_SITE/lib/schema.json,
//   3. `superpose schema --json` of the native build (SUPERPOSE_BUILD or build/native: the same
//      C++ tables as the wasm module's), 4. build/wasm/site/lib/schema.json.
// Use: `import { siteImport } from '../site-schema.mjs'` first, then
// `const { SAE } = await siteImport('lib/page-states.js')` (a static import of a web/ module that
// reads the schema would be linked before this hook exists).
// What it is not: a copy of the schema, or a test of it (tests/web/unit/schema-states.test.mjs).
import { register } from 'node:module';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const web = path.join(root, 'web');

function findSchema() {
  const env = process.env;
  if (env.SUPERPOSE_SCHEMA) return env.SUPERPOSE_SCHEMA;
  if (env.SUPERPOSE_SITE) return path.join(env.SUPERPOSE_SITE, 'lib/schema.json');
  const build = path.resolve(root, env.SUPERPOSE_BUILD || 'build');
  const cli = path.join(build, 'native/superpose');
  if (existsSync(cli)) {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'superpose-schema-')), 'schema.json');
    writeFileSync(file, execFileSync(cli, ['schema', '--json']));
    return file;
  }
  const site = path.join(build, 'wasm/site/lib/schema.json');
  if (existsSync(site)) return site;
  throw new Error('no config schema for web/lib/schema.js: build the CLI (./scripts/build native) '
    + 'or the site, or set SUPERPOSE_SCHEMA=path/to/schema.json');
}

/** The config schema file the web/ modules read here (its path). */
export const SCHEMA_FILE = path.resolve(findSchema());
if (!existsSync(SCHEMA_FILE)) throw new Error(`config schema ${SCHEMA_FILE} does not exist`);

// The hook (run on node's loader thread): web/lib/schema.json resolves to SCHEMA_FILE.
const hook = `
const from = ${JSON.stringify(pathToFileURL(path.join(web, 'lib/schema.json')).href)};
const to = ${JSON.stringify(pathToFileURL(SCHEMA_FILE).href)};
export async function resolve(specifier, context, next) {
  if (context.parentURL && new URL(specifier, context.parentURL).href === from) {
    return { url: to, format: 'json', shortCircuit: true };
  }
  return next(specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hook)}`);

/** Import web/<file> (after the hook is in place). */
export function siteImport(file) {
  return import(pathToFileURL(path.join(web, file)).href);
}
