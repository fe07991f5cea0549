// schema.js: every experiment kind's config schema as the C++ describes it, and the page-state
// fields built from it, so a config field's default, range and choices live only in C++.
//
// What it is: SCHEMA, the site's lib/schema.json ({kind: {kind, fields}}, docs/wasm-api.md
// "Schemas"), written at site build time from the wasm module (scripts/schema-json.cjs, the
// CMake `site` target) out of each config's fields() (src/core/schema.hpp); configField() finds
// one field (nested as 'toy.n_features'); fromSchema() turns it into a hash-state.js field.
// What it is not: no page's choice of fields, keys or labels (web/lib/state.js, page-states.js),
// and no copy of the schema: web/ holds none (node's unit tests get the build's, tests/web/site-schema.mjs).
//
// A page may offer less than the core accepts (a slider's range, a menu of values, its own
// default), never more: it says so in `page` ({min, max, values, def}), each such narrowing is
// kept on the field as `narrowed` (its names), and tests/web/unit/schema-states.test.mjs checks
// every table against the schema: equal where not narrowed, inside it where narrowed.
import SCHEMA from './schema.json' with { type: 'json' };

export { SCHEMA };

/** The schema's description of config field `path` of `kind` ('n_features', 'toy.n_features'). */
export function configField(kind, path) {
  if (!SCHEMA[kind]) throw new Error(`schema: no kind ${kind}`);
  let fields = SCHEMA[kind].fields;
  let found = null;
  for (const part of path.split('.')) {
    found = fields && fields.find((f) => f.name === part);
    if (!found) throw new Error(`schema: kind ${kind} has no field ${path}`);
    fields = found.fields;
  }
  return found;
}

// The hash-state type of a schema field: int, float, enum (a string with choices), text (a string
// without), floats, enums, and a bool as the int 0/1 the pages' links carry (`bias=1`).
function pageType(c) {
  switch (c.type) {
    case 'int': case 'bool': return 'int';
    case 'number': return 'float';
    case 'string': return c.choices ? 'enum' : 'text';
    case 'numbers': return 'floats';
    case 'strings': return 'enums';
    default: throw new Error(`schema: field ${c.name} of type ${c.type} has no page type`);
  }
}

/** What a page may narrow (each must lie inside the schema's; the unit test checks it). */
export const NARROWINGS = ['min', 'max', 'values', 'def'];

/**
 * The hash-state field `name` (hash key `key`, default the same) for config field `path` of
 * `kind`: its type, default, range and choices are the schema's. `page` narrows them (min, max:
 * a closed end; values: a menu, also of numbers; def: the page's own default), may read a list
 * field as one value (type 'float': the list's one default) and adds the page's own facts
 * (key, maxLen, pattern, accepts, label, ...).
 */
export function fromSchema(name, kind, path, page = {}) {
  const c = configField(kind, path);
  const f = { name, key: name, type: pageType(c), def: c.default };
  if (c.type === 'bool') Object.assign(f, { def: Number(c.default), min: 0, max: 1 });
  else if (c.min !== null && c.max !== null) {
    Object.assign(f, { min: c.min, max: c.max });
    if (c.min_open) f.minOpen = true;
    if (c.max_open) f.maxOpen = true;
  }
  if (c.choices) f.values = c.choices;
  if (page.type === 'float' && c.type === 'numbers') {
    if (c.default.length !== 1) throw new Error(`schema: ${kind} ${path} has no one default value`);
    f.type = 'float';
    f.def = c.default[0];
  }
  if (page.min !== undefined) f.minOpen = false;
  if (page.max !== undefined) f.maxOpen = false;
  if (page.values && f.type !== 'enum' && f.type !== 'enums') {
    f.type = 'enum';  // a menu of some of the allowed numbers
    delete f.min; delete f.max; delete f.minOpen; delete f.maxOpen;
  }
  for (const k of ['minOpen', 'maxOpen']) if (f[k] === false) delete f[k];
  const narrowed = NARROWINGS.filter((k) => Object.hasOwn(page, k));
  const { type, ...rest } = page;
  return { ...f, ...rest, schema: { kind, path, narrowed } };
}

/**
 * The presets a choice of config field `path` brings, split for a page: {choice: {controls,
 * config}}. A preset (the schema's `presets`, C++ Field::presets: {choice: {key: value}}) sets
 * config keys; those a field of `fields` feeds (its schema path) become that field's value in
 * `controls` (keyed by the field's name: n_latents → latents), the others stay config keys in
 * `config`, for the page to send as they are.
 */
export function choicePresets(fields, kind, path) {
  const out = {};
  for (const [choice, preset] of Object.entries(configField(kind, path).presets || {})) {
    const controls = {}, config = {};
    for (const [key, value] of Object.entries(preset)) {
      const field = fields.find((g) => g.schema && g.schema.kind === kind && g.schema.path === key);
      if (field) controls[field.name] = value;
      else config[key] = value;
    }
    out[choice] = { controls, config };
  }
  return out;
}
