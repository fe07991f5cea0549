// Every page's state table against the C++ config schema (the build's, read here on its own from
// tests/web/site-schema.mjs SCHEMA_FILE): a field that feeds a config has that field's range,
// choices and default, or, where the page says it offers less (schema.js fromSchema `page`: a
// slider's range, a menu, its own default), lies inside them. A range typed into a table by hand,
// or one that the C++ narrows below the page's, fails here. Page-only keys are listed by name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { siteImport, SCHEMA_FILE } from '../site-schema.mjs';

const { FIELDS: TOY_FIELDS } = await siteImport('lib/state.js');
const { PAGE_TABLES } = await siteImport('lib/page-states.js');
const SCHEMA = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8'));

const TABLES = { toy: TOY_FIELDS, ...Object.fromEntries(Object.entries(PAGE_TABLES).map(([k, t]) => [k, t.fields])) };

/** The keys that are view state in no config (each page's own). */
const PAGE_ONLY = {
  toy: ['preset', 'sel', 'autoplay', 'controls', 'views', 'workers'],
  sae: ['sweep', 'workers'],
  suppression: ['workers'],
};

function schemaField(kind, path) {
  let fields = SCHEMA[kind].fields;
  let c = null;
  for (const part of path.split('.')) {
    c = fields.find((x) => x.name === part);
    assert.ok(c, `schema kind ${kind} has field ${path}`);
    fields = c.fields;
  }
  return c;
}

// The schema's bounds of field c as {min, max, minOpen, maxOpen} (a bool: 0/1).
function bounds(c) {
  if (c.type === 'bool') return { min: 0, max: 1, minOpen: false, maxOpen: false };
  return { min: c.min, max: c.max, minOpen: c.min_open, maxOpen: c.max_open };
}

// Is x allowed by schema field c (one value of it, for a list)?
function allowed(c, x) {
  if (c.choices) return c.choices.includes(x);
  if (c.type === 'bool') return x === 0 || x === 1;
  const b = bounds(c);
  if (b.min === null) return true;
  return (b.minOpen ? x > b.min : x >= b.min) && (b.maxOpen ? x < b.max : x <= b.max)
    && (c.type !== 'int' || Number.isInteger(x));
}

function check(page, f) {
  const where = `${page} ${f.key} (${f.schema.kind} ${f.schema.path})`;
  const c = schemaField(f.schema.kind, f.schema.path);
  const narrowed = new Set(f.schema.narrowed);
  // the range: the schema's, or inside it where the page narrows it
  if (f.type === 'int' || f.type === 'float' || f.type === 'floats') {
    const b = bounds(c);
    const mine = { min: f.min, max: f.max, minOpen: !!f.minOpen, maxOpen: !!f.maxOpen };
    if (narrowed.has('min')) assert.ok(allowed(c, f.min) || (f.minOpen && f.min === b.min), `${where}: min ${f.min} inside the schema's`);
    else assert.deepEqual([mine.min, mine.minOpen], [b.min, b.minOpen], `${where}: min as the schema's`);
    if (narrowed.has('max')) assert.ok(allowed(c, f.max) || (f.maxOpen && f.max === b.max), `${where}: max ${f.max} inside the schema's`);
    else assert.deepEqual([mine.max, mine.maxOpen], [b.max, b.maxOpen], `${where}: max as the schema's`);
  }
  // the choices: the schema's, or some of them (a menu of numbers: each allowed)
  if (f.type === 'enum' || f.type === 'enums') {
    if (narrowed.has('values')) {
      assert.ok(f.values.length > 0 && f.values.every((v) => allowed(c, v)), `${where}: menu ${f.values} inside the schema's`);
    } else {
      assert.deepEqual(f.values, c.choices, `${where}: choices as the schema's`);
    }
  }
  // the default: the schema's, or an allowed value of the page's own
  const def = c.type === 'bool' ? Number(c.default) : c.default;
  if (narrowed.has('def')) {
    for (const v of [f.def].flat()) assert.ok(allowed(c, v), `${where}: default ${v} allowed by the schema`);
  } else if (f.type === 'float' && c.type === 'numbers') {
    assert.deepEqual([f.def], def, `${where}: default as the schema's one value`);
  } else {
    assert.deepEqual(f.def, def, `${where}: default as the schema's`);
  }
}

test('every page-state field that feeds a config is the schema\'s field, narrowed only inside it', () => {
  let checked = 0;
  for (const [page, fields] of Object.entries(TABLES)) {
    for (const f of fields) {
      if (!f.schema) {
        assert.ok((PAGE_ONLY[page] || []).includes(f.key), `${page} ${f.key}: neither from the schema nor a page-only key`);
        continue;
      }
      check(page, f);
      checked++;
    }
  }
  assert.ok(checked >= 55, `checked ${checked} fields`);
});

test('the check fails on a hand-written range or default that differs from the schema', () => {
  const n = TABLES.toy.find((f) => f.key === 'batch');  // from the schema, not narrowed
  assert.throws(() => check('toy', { ...n, max: 100000 }), /max as the schema's/);
  assert.throws(() => check('toy', { ...n, def: 512 }), /default as the schema's/);
  const c = PAGE_TABLES.suppression.byName.get('c');    // narrowed: max 2.5 of [0, 10]
  assert.throws(() => check('suppression', { ...c, max: 11 }), /inside the schema's/);
  const lr = PAGE_TABLES.grok.byName.get('lr');         // a menu of the allowed (0, 10]
  assert.throws(() => check('grok', { ...lr, values: [0, 0.001] }), /inside the schema's/);
  const model = PAGE_TABLES.grok.byName.get('model');
  assert.throws(() => check('grok', { ...model, values: ['mlp', 'transformer'] }), /choices as the schema's/);
});
